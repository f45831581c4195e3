using Procscope.Core.Process;

namespace Procscope.Core.Tests.Process;

public sealed class TaskIoRatesTests
{
    [Fact]
    public void Between_TaskstatsPair_GivesIotopColumns()
    {
        var a = new TaskIo { ReadBytes = 1000, WriteBytes = 10_000, CancelledWriteBytes = 0, ReadSyscalls = 10, WriteSyscalls = 20, BlkioDelayNs = 0, SwapinDelayNs = 0 };
        var b = new TaskIo { ReadBytes = 5000, WriteBytes = 30_000, CancelledWriteBytes = 4000, ReadSyscalls = 30, WriteSyscalls = 60, BlkioDelayNs = 500_000_000, SwapinDelayNs = 100_000_000 };
        var r = TaskIoRates.Between(a, b, 2.0);
        Assert.Equal(2000, r.ReadBytesPerSecond, 9);
        Assert.Equal(8000, r.WriteBytesPerSecond, 9); // (20000 written - 4000 cancelled) / 2 s
        Assert.Equal(10, r.ReadOpsPerSecond, 9);
        Assert.Equal(20, r.WriteOpsPerSecond, 9);
        Assert.Equal(25, r.IoPercent!.Value, 9);
        Assert.Equal(5, r.SwapinPercent!.Value, 9);
    }

    [Fact]
    public void Between_CountersWentBackAndNoDelays_ClampsAndLeavesPercentagesNull()
    {
        var a = new TaskIo { ReadBytes = 9000, WriteBytes = 9000, ReadSyscalls = 9, WriteSyscalls = 9 };
        var b = new TaskIo { ReadBytes = 100, WriteBytes = 100, ReadSyscalls = 1, WriteSyscalls = 1 };
        var r = TaskIoRates.Between(a, b, 1.0);
        Assert.Equal(new TaskIoRates(0, 0, 0, 0, null, null), r);
        var full = TaskIoRates.Between(new TaskIo { BlkioDelayNs = 0, SwapinDelayNs = 0 }, new TaskIo { BlkioDelayNs = 5_000_000_000, SwapinDelayNs = 0 }, 1.0);
        Assert.Equal(100, full.IoPercent);
    }
}
