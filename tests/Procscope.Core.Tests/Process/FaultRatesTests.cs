using System.Text;
using Procscope.Core.Process;

namespace Procscope.Core.Tests.Process;

public sealed class FaultRatesTests
{
    private static ProcessStat Stat(int pid, ulong minflt, ulong majflt, ulong start) => ProcessStat.Parse(Encoding.ASCII.GetBytes(
        $"{pid} (x) S 1 1 1 0 -1 4194304 {minflt} 0 {majflt} 0 0 0 0 0 20 0 1 0 {start} 1000 10 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"));

    [Fact]
    public void Between_TwoSamples_DeltaOverSeconds()
    {
        var r = FaultRates.Between(Stat(5, 100, 2, 77), Stat(5, 2660, 6, 77), 0.5)!.Value;
        Assert.Equal(5120, r.MinorPerSecond);
        Assert.Equal(8, r.MajorPerSecond);
    }

    [Fact]
    public void Between_CounterWentBackwards_ClampedAtZero()
    {
        var r = FaultRates.Between(Stat(5, 100, 9, 77), Stat(5, 50, 1, 77), 1)!.Value;
        Assert.Equal(0, r.MinorPerSecond);
        Assert.Equal(0, r.MajorPerSecond);
    }

    [Fact]
    public void Between_PidReused_Null()
    {
        Assert.Null(FaultRates.Between(Stat(5, 1, 0, 77), Stat(5, 2, 0, 78), 1));
        Assert.Null(FaultRates.Between(Stat(5, 1, 0, 77), Stat(5, 2, 0, 77), 0));
    }
}
