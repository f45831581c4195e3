using System.Globalization;
using System.Numerics;

namespace Procscope.Cli.Classic;

/// <summary>
/// printf("%.Nf") exactly as glibc prints it: the exact binary value of the double, rounded to N
/// decimals half-to-even (glibc rounds ties by the current rounding mode, round-to-nearest-even).
/// .NET's "F1" rounds ties away from zero on the shortest round-trip digits, which differs for
/// values such as 0.25 ("0.3" against glibc's "0.2") and for floats promoted to double.
/// </summary>
public static class CFixed
{
    public static string Format(double value, int decimals)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decimals);
        if (double.IsNaN(value)) return double.IsNegative(value) ? "-nan" : "nan";
        if (double.IsInfinity(value)) return value < 0 ? "-inf" : "inf";

        long bits = BitConverter.DoubleToInt64Bits(value);
        bool negative = bits < 0;
        int exp = (int)((bits >> 52) & 0x7FF);
        long frac = bits & 0xF_FFFF_FFFF_FFFFL;
        BigInteger mantissa;
        int e2;
        if (exp == 0)
        {
            mantissa = frac;
            e2 = -1074;
        }
        else
        {
            mantissa = frac | (1L << 52);
            e2 = exp - 1075;
        }

        // value × 10^decimals = mantissa × 10^decimals × 2^e2, rounded to an integer half-to-even.
        BigInteger scaled = mantissa * BigInteger.Pow(10, decimals);
        BigInteger q;
        if (e2 >= 0)
        {
            q = scaled << e2;
        }
        else
        {
            BigInteger den = BigInteger.One << -e2;
            q = BigInteger.DivRem(scaled, den, out BigInteger r);
            int cmp = (r * 2).CompareTo(den);
            if (cmp > 0 || (cmp == 0 && !q.IsEven)) q += 1;
        }

        string digits = q.ToString(CultureInfo.InvariantCulture);
        if (decimals > 0)
        {
            if (digits.Length <= decimals) digits = new string('0', decimals - digits.Length + 1) + digits;
            digits = digits[..^decimals] + "." + digits[^decimals..];
        }
        return negative ? "-" + digits : digits;
    }
}
