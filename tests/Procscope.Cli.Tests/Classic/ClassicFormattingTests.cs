using Procscope.Cli.Classic;
using Procscope.Cli.Infrastructure;

namespace Procscope.Cli.Tests.Classic;

/// <summary>glibc printf("%.Nf") and procps's strtol_or_err / strtod_nol_or_err.</summary>
public sealed class ClassicFormattingTests
{
    [Fact]
    public void Fixed_ExactTie_RoundsHalfToEvenDown() => Assert.Equal("0.2", CFixed.Format(0.25, 1));

    [Fact]
    public void Fixed_ExactTie_RoundsHalfToEvenUp() => Assert.Equal("0.8", CFixed.Format(0.75, 1));

    [Fact]
    public void Fixed_NotATie_UsesExactBinaryValue() => Assert.Equal("0.1", CFixed.Format(0.15, 1)); // 0.1499999999999999944…

    [Fact]
    public void Fixed_FloatPromoted_KeepsFloatError() => Assert.Equal("7.9", CFixed.Format((float)7.8993, 1));

    [Fact]
    public void Fixed_TwoDecimals_LoadAverage() => Assert.Equal("0.57", CFixed.Format(0.57, 2));

    [Fact]
    public void Fixed_ZeroDecimals_TieToEven() => Assert.Equal("2", CFixed.Format(2.5, 0));

    [Fact]
    public void Fixed_Negative_KeepsSign() => Assert.Equal("-1.0", CFixed.Format(-0.985, 1));

    [Fact]
    public void Fixed_NegativeRoundingToZero_PrintsMinusZero() => Assert.Equal("-0.0", CFixed.Format(-0.04, 1));

    [Fact]
    public void Fixed_Large_AllDigits() => Assert.Equal("25276514304.0", CFixed.Format(25276514304.0, 1));

    [Fact]
    public void Strtol_LeadingBlanksAndSign_Accepted() => Assert.Equal(5, ClassicNumbers.StrtolOrErr(" +5", "m"));

    [Fact]
    public void Strtol_TrailingGarbage_FailsWithProcpsMessage() =>
        Assert.Equal("failed to parse argument: '5x'", Assert.Throws<CliException>(() => ClassicNumbers.StrtolOrErr("5x", "failed to parse argument")).Message);

    [Fact]
    public void Strtol_Overflow_SaysOutOfRange() =>
        Assert.Equal("m: '99999999999999999999': Numerical result out of range", Assert.Throws<CliException>(() => ClassicNumbers.StrtolOrErr("99999999999999999999", "m")).Message);

    [Fact]
    public void Strtol_Empty_Fails() => Assert.Throws<CliException>(() => ClassicNumbers.StrtolOrErr("", "m"));

    [Fact]
    public void Strtod_CommaRadix_Accepted() => Assert.Equal(1.5, ClassicNumbers.StrtodNolOrErr("1,5", "m"), 12);

    [Fact]
    public void Strtod_Letter_IsInvalidArgument() =>
        Assert.Equal("seconds argument failed: 'x': Invalid argument", Assert.Throws<CliException>(() => ClassicNumbers.StrtodNolOrErr("x", "seconds argument failed")).Message);

    [Fact]
    public void Strtod_GarbageAfterFraction_HasNoErrnoText() =>
        Assert.Equal("m: '1.5x'", Assert.Throws<CliException>(() => ClassicNumbers.StrtodNolOrErr("1.5x", "m")).Message);

    [Fact]
    public void Strtod_Exponent_IsInvalidArgument() => Assert.Throws<CliException>(() => ClassicNumbers.StrtodNolOrErr("1e3", "m"));
}
