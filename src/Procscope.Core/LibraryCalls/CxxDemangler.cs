using System.Text;

namespace Procscope.Core.LibraryCalls;

/// <summary>
/// An Itanium C++ ABI demangler (itanium-cxx-abi.github.io, "Mangling") for the names library
/// tracing meets: nested and template names with substitutions and template parameters,
/// constructors and destructors, operators, cv-qualified methods, function pointers, arrays,
/// ABI tags, local names, lambdas, vtables/typeinfo and clone suffixes. Output follows c++filt
/// (<c>std::vector&lt;int, std::allocator&lt;int&gt; &gt;::push_back(int const&amp;)</c>).
/// Returns null for anything it does not understand, so the caller shows the mangled name.
/// </summary>
public static class CxxDemangler
{
    public static string? Demangle(string mangled)
    {
        if (!mangled.StartsWith("_Z", StringComparison.Ordinal)) return null;
        string clone = "";
        int dot = mangled.IndexOf('.');
        string core = mangled;
        if (dot > 0)
        {
            core = mangled[..dot];
            // GCC clone suffixes: "foo.cold", "foo.constprop.0" → " [clone .cold]", " [clone .constprop.0]"
            var rest = mangled[dot..];
            var sb = new StringBuilder();
            int i = 0;
            while (i < rest.Length)
            {
                int next = rest.IndexOf('.', i + 1);
                while (next > 0 && next + 1 < rest.Length && char.IsDigit(rest[next + 1]))
                    next = rest.IndexOf('.', next + 1);
                string part = next < 0 ? rest[i..] : rest[i..next];
                sb.Append(" [clone ").Append(part).Append(']');
                if (next < 0) break;
                i = next;
            }
            clone = sb.ToString();
        }
        try
        {
            var p = new Parser(core, 2);
            var s = p.Encoding();
            return s is null || p.Pos != core.Length ? null : s + clone;
        }
        catch (DemangleException)
        {
            return null;
        }
    }

    private sealed class DemangleException : Exception;

    private sealed class Parser(string s, int pos)
    {
        private readonly string _s = s;
        public int Pos = pos;
        private readonly List<string> _subs = [];
        private List<string> _templateArgs = [];

        private char Peek(int k = 0) => Pos + k < _s.Length ? _s[Pos + k] : '\0';
        private bool Eat(char c)
        {
            if (Peek() != c) return false;
            Pos++;
            return true;
        }
        private bool Eat(string t)
        {
            if (string.CompareOrdinal(_s, Pos, t, 0, t.Length) != 0) return false;
            Pos += t.Length;
            return true;
        }
        private static DemangleException Fail() => new();

        // <encoding> ::= <name> <bare-function-type> | <name> | <special-name>
        public string? Encoding()
        {
            if (Peek() == 'T' || (Peek() == 'G' && Peek(1) == 'V')) return Special();
            var name = Name(out bool isTemplate, out bool ctorDtor, out string cv);
            if (Pos >= _s.Length || Peek() == 'E' || Peek() == '.') return name + cv;
            string ret = "";
            if (isTemplate && !ctorDtor)
            {
                ret = Type();
            }
            var args = BareFunctionArgs();
            string result = $"{name}({args}){cv}";
            return ret.Length > 0 ? ret + " " + result : result;
        }

        private string BareFunctionArgs()
        {
            var list = new List<string>();
            if (Peek() == 'v' && (Pos + 1 >= _s.Length || Peek(1) is 'E' or '.')) { Pos++; return ""; }
            while (Pos < _s.Length && Peek() != 'E' && Peek() != '.') list.Add(Type());
            return string.Join(", ", list);
        }

        private string Special()
        {
            if (Eat("TV")) return "vtable for " + Type();
            if (Eat("TI")) return "typeinfo for " + Type();
            if (Eat("TS")) return "typeinfo name for " + Type();
            if (Eat("TT")) return "VTT for " + Type();
            if (Eat("GV")) return "guard variable for " + Name(out _, out _, out _);
            if (Eat("Th"))
            {
                Number();
                if (!Eat('_')) throw Fail();
                return "non-virtual thunk to " + Encoding();
            }
            throw Fail();
        }

        private long Number()
        {
            bool neg = Eat('n');
            int start = Pos;
            while (char.IsDigit(Peek())) Pos++;
            if (start == Pos) throw Fail();
            long v = long.Parse(_s.AsSpan(start, Pos - start), System.Globalization.CultureInfo.InvariantCulture);
            return neg ? -v : v;
        }

        private string SourceName()
        {
            long n = Number();
            if (n <= 0 || Pos + n > _s.Length) throw Fail();
            string id = _s.Substring(Pos, (int)n);
            Pos += (int)n;
            return id.StartsWith("_GLOBAL__N", StringComparison.Ordinal) ? "(anonymous namespace)" : id;
        }

        // <name>: nested, unscoped (optionally a template), local, or a substitution followed by template args.
        private string Name(out bool isTemplate, out bool ctorDtor, out string cv)
        {
            isTemplate = false;
            ctorDtor = false;
            cv = "";
            if (Peek() == 'N') return Nested(out isTemplate, out ctorDtor, out cv);
            if (Peek() == 'Z') return Local(out isTemplate, out ctorDtor, out cv);
            string n;
            if (Peek() == 'S' && Peek(1) != 't')
            {
                n = Substitution();
            }
            else
            {
                bool std = Eat("St");
                n = UnqualifiedName(std ? "std" : null, out ctorDtor);
                if (std) n = "std::" + n;
                if (Peek() == 'I') _subs.Add(n);
            }
            if (Peek() == 'I')
            {
                var args = TemplateArgs();
                _templateArgs = args.List;
                n += n.EndsWith('<') ? " " + args.Text : args.Text;
                isTemplate = true;
            }
            return n;
        }

        private string Local(out bool isTemplate, out bool ctorDtor, out string cv)
        {
            Pos++; // Z
            var saved = _templateArgs;
            var fn = Encoding() ?? throw Fail();
            if (!Eat('E')) throw Fail();
            _templateArgs = saved;
            isTemplate = false;
            ctorDtor = false;
            cv = "";
            if (Eat('s')) { Discriminator(); return fn + "::string literal"; }
            var inner = Name(out isTemplate, out ctorDtor, out cv);
            Discriminator();
            return fn + "::" + inner;
        }

        private void Discriminator()
        {
            if (Eat('_'))
            {
                if (Eat('_')) { Number(); Eat('_'); }
                else Number();
            }
        }

        private string Nested(out bool isTemplate, out bool ctorDtor, out string cv)
        {
            Pos++; // N
            cv = "";
            var q = new StringBuilder();
            while (Peek() is 'r' or 'V' or 'K')
            {
                char c = _s[Pos++];
                q.Insert(0, c == 'K' ? " const" : c == 'V' ? " volatile" : " restrict");
            }
            cv = q.ToString();
            if (Eat('R')) cv += " &";
            else if (Eat('O')) cv += " &&";
            string prefix = "";
            isTemplate = false;
            ctorDtor = false;
            while (!Eat('E'))
            {
                if (Pos >= _s.Length) throw Fail();
                bool addSub = true;
                if (Peek() == 'I')
                {
                    if (prefix.Length == 0) throw Fail();
                    var args = TemplateArgs();
                    _templateArgs = args.List;
                    prefix += prefix.EndsWith('<') ? " " + args.Text : args.Text;
                    isTemplate = true;
                }
                else if (Peek() == 'S' && Peek(1) != 't')
                {
                    prefix = Substitution();
                    addSub = false;
                    isTemplate = false;
                }
                else if (Peek() == 'T')
                {
                    prefix = TemplateParam();
                    isTemplate = false;
                }
                else if (Eat("St"))
                {
                    prefix = "std";
                    addSub = false;
                }
                else if (Peek() == 'B')
                {
                    prefix += AbiTags();
                    addSub = false;
                }
                else
                {
                    string un = UnqualifiedName(LastComponent(prefix), out ctorDtor);
                    prefix = prefix.Length == 0 ? un : prefix + "::" + un;
                    isTemplate = false;
                }
                // Every prefix is a substitution candidate; the complete name is added by Type() when it is a type.
                if (Peek() != 'E' && addSub) _subs.Add(prefix);
            }
            return prefix;
        }

        /// <summary>The class name a constructor or destructor takes: the last component, without template arguments or ABI tags.</summary>
        private static string LastComponent(string prefix)
        {
            int end = prefix.Length;
            if (end > 0 && prefix[end - 1] == '>')
            {
                int depth = 0;
                for (int i = end - 1; i >= 0; i--)
                {
                    if (prefix[i] == '>') depth++;
                    else if (prefix[i] == '<' && --depth == 0) { end = i; break; }
                }
            }
            int depth2 = 0, start = 0;
            for (int i = 0; i < end; i++)
            {
                char c = prefix[i];
                if (c is '<' or '(') depth2++;
                else if (c is '>' or ')') depth2--;
                else if (c == ':' && depth2 == 0 && i + 1 < end && prefix[i + 1] == ':') { start = i + 2; i++; }
            }
            string last = prefix[start..end];
            int tag = last.IndexOf("[abi:", StringComparison.Ordinal);
            return tag > 0 ? last[..tag] : last;
        }

        private string AbiTags()
        {
            var sb = new StringBuilder();
            while (Eat('B')) sb.Append("[abi:").Append(SourceName()).Append(']');
            return sb.ToString();
        }

        private string UnqualifiedName(string? enclosing, out bool ctorDtor)
        {
            ctorDtor = false;
            char c = Peek();
            string n;
            if (char.IsDigit(c)) n = SourceName();
            else if (c == 'C' && Peek(1) is '1' or '2' or '3' or '4' or '5' || (c == 'C' && Peek(1) == 'I'))
            {
                Pos += 2;
                if (_s[Pos - 1] == 'I') { Pos++; Type(); }
                ctorDtor = true;
                n = enclosing ?? throw Fail();
            }
            else if (c == 'D' && Peek(1) is '0' or '1' or '2' or '4' or '5')
            {
                Pos += 2;
                ctorDtor = true;
                n = "~" + (enclosing ?? throw Fail());
            }
            else if (c == 'U' && Peek(1) == 'l')
            {
                Pos += 2;
                string args = BareFunctionArgs();
                if (!Eat('E')) throw Fail();
                long k = char.IsDigit(Peek()) ? Number() + 2 : 1;
                if (!Eat('_')) throw Fail();
                n = $"{{lambda({args})#{k}}}";
            }
            else if (c == 'U' && Peek(1) == 't')
            {
                Pos += 2;
                long k = char.IsDigit(Peek()) ? Number() + 2 : 1;
                if (!Eat('_')) throw Fail();
                n = $"{{unnamed type#{k}}}";
            }
            else if (char.IsLower(c)) n = Operator();
            else throw Fail();
            if (Peek() == 'B') n += AbiTags();
            return n;
        }

        private static readonly Dictionary<string, string> s_ops = new()
        {
            ["nw"] = "new", ["na"] = "new[]", ["dl"] = "delete", ["da"] = "delete[]", ["ps"] = "+", ["ng"] = "-", ["ad"] = "&", ["de"] = "*",
            ["co"] = "~", ["pl"] = "+", ["mi"] = "-", ["ml"] = "*", ["dv"] = "/", ["rm"] = "%", ["an"] = "&", ["or"] = "|", ["eo"] = "^",
            ["aS"] = "=", ["pL"] = "+=", ["mI"] = "-=", ["mL"] = "*=", ["dV"] = "/=", ["rM"] = "%=", ["aN"] = "&=", ["oR"] = "|=", ["eO"] = "^=",
            ["ls"] = "<<", ["rs"] = ">>", ["lS"] = "<<=", ["rS"] = ">>=", ["eq"] = "==", ["ne"] = "!=", ["lt"] = "<", ["gt"] = ">", ["le"] = "<=",
            ["ge"] = ">=", ["ss"] = "<=>", ["nt"] = "!", ["aa"] = "&&", ["oo"] = "||", ["pp"] = "++", ["mm"] = "--", ["cm"] = ",", ["pm"] = "->*",
            ["pt"] = "->", ["cl"] = "()", ["ix"] = "[]", ["qu"] = "?",
        };

        private string Operator()
        {
            if (Eat("cv")) return "operator " + Type();
            if (Eat("li")) return "operator\"\" " + SourceName();
            if (Pos + 2 > _s.Length) throw Fail();
            var code = _s.Substring(Pos, 2);
            if (!s_ops.TryGetValue(code, out var op)) throw Fail();
            Pos += 2;
            return char.IsLetter(op[0]) ? "operator " + op : "operator" + op;
        }

        private string Substitution()
        {
            if (!Eat('S')) throw Fail();
            switch (Peek())
            {
                // c++filt demangles verbosely (DMGL_VERBOSE): Ss is the full basic_string, not std::string.
                case 'a': Pos++; return "std::allocator";
                case 'b': Pos++; return "std::basic_string";
                case 's': Pos++; return "std::basic_string<char, std::char_traits<char>, std::allocator<char> >";
                case 'i': Pos++; return "std::basic_istream<char, std::char_traits<char> >";
                case 'o': Pos++; return "std::basic_ostream<char, std::char_traits<char> >";
                case 'd': Pos++; return "std::basic_iostream<char, std::char_traits<char> >";
            }
            int idx = 0;
            if (!Eat('_'))
            {
                int v = 0;
                while (Peek() != '_')
                {
                    char c = Peek();
                    if (char.IsDigit(c)) v = v * 36 + (c - '0');
                    else if (c is >= 'A' and <= 'Z') v = v * 36 + (c - 'A' + 10);
                    else throw Fail();
                    Pos++;
                }
                Pos++;
                idx = v + 1;
            }
            if (idx >= _subs.Count) throw Fail();
            return _subs[idx];
        }

        private string TemplateParam()
        {
            if (!Eat('T')) throw Fail();
            int idx = Eat('_') ? 0 : (int)Number() + 1;
            if (idx > 0 && !Eat('_')) throw Fail();
            if (idx >= _templateArgs.Count) throw Fail();
            return _templateArgs[idx];
        }

        private (string Text, List<string> List) TemplateArgs()
        {
            if (!Eat('I')) throw Fail();
            var list = new List<string>();
            while (!Eat('E'))
            {
                if (Pos >= _s.Length) throw Fail();
                list.Add(TemplateArg());
            }
            string text = string.Join(", ", list);
            return ("<" + text + (text.EndsWith('>') ? " >" : ">"), list);
        }

        private string TemplateArg()
        {
            if (Eat('L'))
            {
                if (Eat("_Z")) { var e = Encoding() ?? throw Fail(); if (!Eat('E')) throw Fail(); return e; }
                string type = Type();
                int start = Pos;
                while (Peek() != 'E' && Pos < _s.Length) Pos++;
                string v = _s[start..Pos].Replace('n', '-');
                Pos++;
                return type switch
                {
                    "int" => v,
                    "bool" => v == "0" ? "false" : "true",
                    "unsigned int" => v + "u",
                    "long" => v + "l",
                    "unsigned long" => v + "ul",
                    _ => $"({type}){v}",
                };
            }
            if (Eat('J'))
            {
                var pack = new List<string>();
                while (!Eat('E')) pack.Add(TemplateArg());
                return string.Join(", ", pack);
            }
            if (Peek() == 'X') throw Fail();
            return Type();
        }

        private string Type()
        {
            char c = Peek();
            string? b = Builtin(c);
            if (b is not null) { Pos++; return b; }
            string t;
            switch (c)
            {
                case 'D':
                    {
                        string? d = Peek(1) switch
                        {
                            'n' => "decltype(nullptr)", 'i' => "char32_t", 's' => "char16_t", 'u' => "char8_t", 'a' => "auto", 'c' => "decltype(auto)",
                            'f' => "decimal32", 'd' => "decimal64", 'h' => "half", _ => null,
                        };
                        if (d is not null) { Pos += 2; return d; }
                        if (Peek(1) == 'p') { Pos += 2; t = Type(); _subs.Add(t); return t; } // pack expansion
                        throw Fail();
                    }
                case 'P' or 'R' or 'O':
                    {
                        Pos++;
                        string suffix = c == 'P' ? "*" : c == 'R' ? "&" : "&&";
                        if (Peek() == 'F')
                        {
                            t = FunctionType("(" + suffix + ")");
                        }
                        else
                        {
                            string inner = Type();
                            int arr = inner.EndsWith(']') ? inner.LastIndexOf(" [", StringComparison.Ordinal) : -1;
                            t = arr > 0 ? $"{inner[..arr]} ({suffix}){inner[arr..]}" : inner + suffix;
                        }
                        _subs.Add(t);
                        return t;
                    }
                case 'K' or 'V' or 'r':
                    {
                        Pos++;
                        string inner = Type();
                        t = inner + (c == 'K' ? " const" : c == 'V' ? " volatile" : " restrict");
                        _subs.Add(t);
                        return t;
                    }
                case 'F':
                    t = FunctionType("");
                    _subs.Add(t);
                    return t;
                case 'A':
                    {
                        Pos++;
                        string dim = char.IsDigit(Peek()) ? Number().ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
                        if (!Eat('_')) throw Fail();
                        t = Type() + " [" + dim + "]";
                        _subs.Add(t);
                        return t;
                    }
                case 'T':
                    t = TemplateParam();
                    _subs.Add(t);
                    if (Peek() == 'I')
                    {
                        var a = TemplateArgs();
                        t += a.Text;
                        _subs.Add(t);
                    }
                    return t;
                case 'S':
                    if (Peek(1) == 't')
                    {
                        var saved = _templateArgs;
                        t = Name(out _, out _, out _);
                        _templateArgs = saved;
                        _subs.Add(t);
                        return t;
                    }
                    t = Substitution();
                    if (Peek() == 'I')
                    {
                        var a = TemplateArgs();
                        t += a.Text;
                        _subs.Add(t);
                    }
                    return t;
                case 'N' or 'Z' or (>= '0' and <= '9'):
                    {
                        var saved = _templateArgs;
                        t = Name(out _, out _, out _);
                        _templateArgs = saved;
                        _subs.Add(t);
                        return t;
                    }
                case 'u':
                    Pos++;
                    t = SourceName();
                    _subs.Add(t);
                    return t;
                default:
                    throw Fail();
            }
        }

        private string FunctionType(string declarator)
        {
            if (!Eat('F')) throw Fail();
            Eat('Y');
            string ret = Type();
            var args = new List<string>();
            if (Peek() == 'v' && Peek(1) is 'E' or 'R' or 'O') Pos++;
            else
                while (Peek() is not ('E' or 'R' or 'O'))
                {
                    if (Pos >= _s.Length) throw Fail();
                    args.Add(Type());
                }
            string refq = Eat('R') ? " &" : Eat('O') ? " &&" : "";
            if (!Eat('E')) throw Fail();
            return declarator.Length == 0
                ? $"{ret} ({string.Join(", ", args)}){refq}"
                : $"{ret} {declarator}({string.Join(", ", args)}){refq}";
        }

        private static string? Builtin(char c) => c switch
        {
            'v' => "void", 'w' => "wchar_t", 'b' => "bool", 'c' => "char", 'a' => "signed char", 'h' => "unsigned char",
            's' => "short", 't' => "unsigned short", 'i' => "int", 'j' => "unsigned int", 'l' => "long", 'm' => "unsigned long",
            'x' => "long long", 'y' => "unsigned long long", 'n' => "__int128", 'o' => "unsigned __int128", 'f' => "float",
            'd' => "double", 'e' => "long double", 'g' => "__float128", 'z' => "...",
            _ => null,
        };
    }
}
