using System.Globalization;
using Procscope.Cli.Infrastructure;

namespace Procscope.Cli.Classic;

/// <summary>
/// The number parsers procps uses for option values (local/strutils.c), with their error
/// messages: strtol_or_err ("MSG: 'ARG'", plus ": Numerical result out of range" on overflow) and
/// strtod_nol_or_err (a locale-free decimal accepting '.' or ',' as the radix).
/// </summary>
public static class ClassicNumbers
{
    public const string ERange = "Numerical result out of range";
    public const string EInval = "Invalid argument";

    /// <summary>strtol(3) base 10 of the whole string (leading blanks and a sign allowed), else a <see cref="CliException"/> "MSG: 'ARG'".</summary>
    public static long StrtolOrErr(string arg, string message)
    {
        var r = Strtol(arg);
        if (r.Ok) return r.Value;
        throw new CliException(r.Overflow ? $"{message}: '{arg}': {ERange}" : $"{message}: '{arg}'");
    }

    /// <summary>strtol(3) semantics: optional blanks, sign, at least one digit, nothing after. Overflow clamps to long.MinValue/MaxValue with ERANGE.</summary>
    public static (bool Ok, long Value, bool Overflow) Strtol(string s)
    {
        int i = 0;
        while (i < s.Length && IsCSpace(s[i])) i++;
        bool neg = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-'))
        {
            neg = s[i] == '-';
            i++;
        }
        int start = i;
        while (i < s.Length && s[i] is >= '0' and <= '9') i++;
        if (i == start || i != s.Length) return (false, 0, false);
        var digits = s.AsSpan(start, i - start);
        if (!ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out ulong mag) || mag > (neg ? 9223372036854775808UL : long.MaxValue))
            return (false, neg ? long.MinValue : long.MaxValue, true);
        return (true, neg ? (long)(0 - mag) : (long)mag, false);
    }

    /// <summary>
    /// procps strtod_nol_or_err: [blanks][sign]digits[('.'|',')digits], computed digit by digit in
    /// doubles as procps does. Errors: a character other than '.' or ',' after the integer digits →
    /// "MSG: 'ARG': Invalid argument"; anything else left over, or an empty string → "MSG: 'ARG'".
    /// </summary>
    public static double StrtodNolOrErr(string str, string message)
    {
        if (str.Length > 0)
        {
            double num = 0.0;
            int cp = 0;
            while (cp < str.Length && IsCSpace(str[cp])) cp++;
            bool negative = false;
            if (cp < str.Length && str[cp] == '-')
            {
                negative = true;
                cp++;
            }
            else if (cp < str.Length && str[cp] == '+')
            {
                cp++;
            }
            int radix = cp;
            double mult = 0.1;
            while (radix < str.Length && char.IsAsciiDigit(str[radix]))
            {
                radix++;
                mult *= 10;
            }
            while (cp < str.Length && char.IsAsciiDigit(str[cp]))
            {
                num += (str[cp] - '0') * mult;
                mult /= 10;
                cp++;
            }
            if (cp == str.Length) return negative ? -num : num;
            if (str[cp] != '.' && str[cp] != ',') throw new CliException($"{message}: '{str}': {EInval}");
            cp++;
            mult = 0.1;
            while (cp < str.Length && char.IsAsciiDigit(str[cp]))
            {
                num += (str[cp] - '0') * mult;
                mult /= 10;
                cp++;
            }
            if (cp == str.Length) return negative ? -num : num;
        }
        throw new CliException($"{message}: '{str}'");
    }

    private static bool IsCSpace(char c) => c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r';
}
