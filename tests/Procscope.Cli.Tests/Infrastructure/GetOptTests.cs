using Procscope.Cli.Infrastructure;

namespace Procscope.Cli.Tests.Infrastructure;

/// <summary>getopt_long behaviour the classic commands rely on (checked against procps free's parsing).</summary>
public sealed class GetOptTests
{
    private static readonly GetOpt Free = new([
        new('b', "bytes"), new('h', "human"), new('t', "total"), new(null, "si"),
        new('s', "seconds", TakesValue: true), new('c', "count", TakesValue: true), new(null, "second-thing"),
    ]);

    [Fact]
    public void Parse_BundledShortOptions_AreSplit()
    {
        var r = Free.Parse(["-bt"]);
        Assert.Equal(["bytes", "total"], r.Options.Select(o => o.Id));
    }

    [Fact]
    public void Parse_AttachedAndSeparateValues_AreTaken()
    {
        var r = Free.Parse(["-s1", "-c", "3", "--seconds=2", "--count", "4"]);
        Assert.Equal(["1", "3", "2", "4"], r.Options.Select(o => o.Value));
        Assert.Equal("2", r.Options.Where(o => o.Id == "seconds").Last().Value);
    }

    [Fact]
    public void Parse_BundleEndingInValueOption_TakesRestOrNextArg()
    {
        var r = Free.Parse(["-bs5"]);
        Assert.Equal(("bytes", (string?)null), (r.Options[0].Id, r.Options[0].Value));
        Assert.Equal(("seconds", "5"), (r.Options[1].Id, r.Options[1].Value));
    }

    [Fact]
    public void Parse_UniqueLongPrefix_IsAccepted() => Assert.Equal("human", Free.Parse(["--hum"]).Options[0].Id);

    [Fact]
    public void Parse_AmbiguousLongPrefix_NamesTheOption()
    {
        var e = Assert.Throws<CliException>(() => Free.Parse(["--s"]));
        Assert.Equal("option '--s' is ambiguous", e.Message);
    }

    [Fact]
    public void Parse_UnknownShort_GetoptMessage()
    {
        var e = Assert.Throws<CliException>(() => Free.Parse(["-z"]));
        Assert.Equal("invalid option -- 'z'", e.Message);
        Assert.Equal(ExitCodes.Usage, e.ExitCode);
    }

    [Fact]
    public void Parse_UnknownLong_GetoptMessage() =>
        Assert.Equal("unrecognized option '--nope'", Assert.Throws<CliException>(() => Free.Parse(["--nope"])).Message);

    [Fact]
    public void Parse_MissingValue_GetoptMessages()
    {
        Assert.Equal("option requires an argument -- 's'", Assert.Throws<CliException>(() => Free.Parse(["-s"])).Message);
        Assert.Equal("option '--count' requires an argument", Assert.Throws<CliException>(() => Free.Parse(["--count"])).Message);
    }

    [Fact]
    public void Parse_ValueOnFlag_IsRejected() =>
        Assert.Equal("option '--bytes' doesn't allow an argument", Assert.Throws<CliException>(() => Free.Parse(["--bytes=3"])).Message);

    [Fact]
    public void Parse_DoubleDash_EndsOptions()
    {
        var r = Free.Parse(["-b", "--", "-t", "x"]);
        Assert.Single(r.Options);
        Assert.Equal(["-t", "x"], r.Operands);
    }

    [Fact]
    public void Parse_OperandsInterleaved_AreKept()
    {
        var r = Free.Parse(["1", "-b", "2"]);
        Assert.Equal(["1", "2"], r.Operands);
        Assert.True(r.Has("bytes"));
    }
}
