using Procscope.Core.Parsing;
using Procscope.Core.Sys;

namespace Procscope.Core.Tests.Sys;

public sealed class LoadAvgTests
{
    [Fact]
    public void Parse_CapturedLoadavg_ReadsEveryField()
    {
        // captured: Debian 12, Linux 6.18.44, x86_64, 2 CPUs
        var l = LoadAvg.Parse("0.19 0.23 0.12 2/82 5087\n"u8);

        Assert.Equal(new LoadAvg(0.19, 0.23, 0.12, 2, 82, 5087), l);
    }

    [Fact]
    public void Parse_HighLoad_ReadsLargeValues()
    {
        var l = LoadAvg.Parse("1234.56 999.00 10.01 1024/65536 4194304"u8);

        Assert.Equal(1234.56, l.Load1);
        Assert.Equal(1024, l.RunnableEntities);
        Assert.Equal(65536, l.TotalEntities);
        Assert.Equal(4194304, l.LastPid);
    }

    [Theory]
    [InlineData("")]
    [InlineData("0.19 0.23 0.12 2 5087\n")]
    [InlineData("0.19 0.23 0.12 2/ 5087\n")]
    [InlineData("0.19 0.23 0.12 /82 5087\n")]
    [InlineData("0.19 0.23 0.12 2/82\n")]
    [InlineData("0.19 abc 0.12 2/82 5087\n")]
    public void Parse_MalformedLoadavg_Throws(string text)
    {
        var e = Assert.Throws<ProcFormatException>(() => LoadAvg.Parse(System.Text.Encoding.ASCII.GetBytes(text)));
        Assert.Equal("/proc/loadavg", e.File);
    }
}
