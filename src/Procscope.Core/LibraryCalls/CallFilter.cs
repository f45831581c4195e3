namespace Procscope.Core.LibraryCalls;

/// <summary>Shell-style patterns for -e, -l and -x: '*' and '?'.</summary>
public static class Glob
{
    public static bool Match(string pattern, string text)
    {
        int p = 0, s = 0, star = -1, mark = 0;
        while (s < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[s])) { p++; s++; }
            else if (p < pattern.Length && pattern[p] == '*') { star = p++; mark = s; }
            else if (star >= 0) { p = star + 1; s = ++mark; }
            else return false;
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}

/// <summary>
/// ltrace's -e filter chains (ltrace(1), FILTER EXPRESSIONS): <c>[!]rule[+rule|-rule]…</c>, a rule
/// being <c>pattern[@library]</c> with shell patterns. Rules apply in order; '+' adds the matching
/// functions, '-' removes them. A chain that starts with '!' starts from every function and removes;
/// otherwise it starts from none. Several -e options are applied one after the other.
/// </summary>
public static class FilterExpression
{
    private readonly record struct Rule(bool Add, string Name, string? Library);

    /// <summary>A predicate over (function name, library file name). No expressions: everything.</summary>
    /// <exception cref="FormatException">For an empty rule.</exception>
    public static Func<string, string, bool> Parse(IReadOnlyList<string> expressions)
    {
        if (expressions.Count == 0) return (_, _) => true;
        var chains = new List<(bool StartAll, List<Rule> Rules)>();
        foreach (var e in expressions)
        {
            var text = e.Trim();
            bool startAll = text.StartsWith('!');
            if (startAll) text = text[1..];
            var rules = new List<Rule>();
            bool add = !startAll;
            int start = 0;
            for (int i = 0; i <= text.Length; i++)
            {
                if (i < text.Length && text[i] != '+' && text[i] != '-') continue;
                var part = text[start..i];
                if (part.Length == 0) throw new FormatException($"invalid filter expression '{e}': empty rule");
                int at = part.IndexOf('@');
                rules.Add(at < 0 ? new Rule(add, part, null) : new Rule(add, at == 0 ? "*" : part[..at], part[(at + 1)..]));
                if (i < text.Length) add = text[i] == '+';
                start = i + 1;
            }
            chains.Add((startAll, rules));
        }
        return (name, library) =>
        {
            bool traced = chains[0].StartAll;
            foreach (var (_, rules) in chains)
            {
                foreach (var r in rules)
                    if (Glob.Match(r.Name, name) && (r.Library is null || LibraryMatches(r.Library, library)))
                        traced = r.Add;
            }
            return traced;
        };
    }

    /// <summary>"MAIN" names the program itself (ltrace's convention); else a pattern on the library's file name.</summary>
    private static bool LibraryMatches(string pattern, string library) =>
        pattern == "MAIN" ? library.Length == 0 : Glob.Match(pattern, library);
}
