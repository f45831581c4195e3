using Procscope.Core.Parsing;
using Procscope.Core.Sys;

namespace Procscope.Core.Tests.Sys;

public sealed class UptimeTests
{
    [Fact]
    public void Parse_CapturedUptime_ReadsBothFields()
    {
        // captured: Debian 12, Linux 6.18.44, x86_64, 2 CPUs (idle exceeds uptime: summed over CPUs)
        var u = Uptime.Parse("768.93 1432.61\n"u8);

        Assert.Equal(768.93, u.UptimeSeconds);
        Assert.Equal(1432.61, u.IdleSeconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("768.93\n")]
    [InlineData("768.93 x\n")]
    public void Parse_MalformedUptime_Throws(string text)
    {
        Assert.Throws<ProcFormatException>(() => Uptime.Parse(System.Text.Encoding.ASCII.GetBytes(text)));
    }
}
