using Procscope.Core.Parsing;
using Procscope.Core.Sys;

namespace Procscope.Core.Tests.Sys;

public sealed class PressureTests
{
    [Fact]
    public void Parse_CapturedCpuPressure_ReadsBothLines()
    {
        // captured: Debian 12, Linux 6.18.44, x86_64, 2 CPUs (/proc/pressure/cpu)
        var p = Pressure.Parse("""
            some avg10=0.00 avg60=0.61 avg300=1.58 total=16839031
            full avg10=0.00 avg60=0.00 avg300=0.00 total=0

            """u8);

        Assert.Equal(new PressureLine(0.00, 0.61, 1.58, 16839031), p.Some);
        Assert.Equal(new PressureLine(0, 0, 0, 0), p.Full);
    }

    [Fact]
    public void Parse_CapturedIoPressure_ReadsBothLines()
    {
        // captured: Debian 12, Linux 6.18.44, x86_64, 2 CPUs (/proc/pressure/io)
        var p = Pressure.Parse("""
            some avg10=0.00 avg60=0.04 avg300=0.12 total=2477729
            full avg10=0.00 avg60=0.04 avg300=0.11 total=2301331

            """u8);

        Assert.Equal(new PressureLine(0.00, 0.04, 0.12, 2477729), p.Some);
        Assert.Equal(new PressureLine(0.00, 0.04, 0.11, 2301331), p.Full);
    }

    [Fact]
    public void Parse_CapturedMemoryPressure_ReadsBothLines()
    {
        // captured: Debian 12, Linux 6.18.44, x86_64, 2 CPUs (/proc/pressure/memory)
        var p = Pressure.Parse("""
            some avg10=0.00 avg60=0.00 avg300=0.00 total=0
            full avg10=0.00 avg60=0.00 avg300=0.00 total=0

            """u8);

        Assert.Equal(new PressureLine(0, 0, 0, 0), p.Some);
        Assert.Equal(new PressureLine(0, 0, 0, 0), p.Full);
    }

    [Fact]
    public void Parse_CpuPressureBeforeLinux513_LeavesFullNull()
    {
        var p = Pressure.Parse("some avg10=12.50 avg60=3.25 avg300=100.00 total=18446744073709551615\n"u8);

        Assert.Equal(new PressureLine(12.5, 3.25, 100, ulong.MaxValue), p.Some);
        Assert.Null(p.Full);
    }

    [Fact]
    public void Parse_IrqPressureWithFullOnly_LeavesSomeNull()
    {
        var p = Pressure.Parse("full avg10=0.10 avg60=0.20 avg300=0.30 total=4242\n"u8);

        Assert.Null(p.Some);
        Assert.Equal(new PressureLine(0.1, 0.2, 0.3, 4242), p.Full);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("half avg10=0.00 avg60=0.00 avg300=0.00 total=0\n")]
    [InlineData("some avg60=0.00 avg10=0.00 avg300=0.00 total=0\n")]
    [InlineData("some avg10=0.00 avg60=0.00 avg300=0.00\n")]
    [InlineData("some avg10=x avg60=0.00 avg300=0.00 total=0\n")]
    [InlineData("some avg10=0.00 avg60=0.00 avg300=0.00 total=-1\n")]
    [InlineData("some 0.00 0.00 0.00 0\n")]
    public void Parse_MalformedPressure_Throws(string text)
    {
        Assert.Throws<ProcFormatException>(() => Pressure.Parse(System.Text.Encoding.ASCII.GetBytes(text)));
    }
}
