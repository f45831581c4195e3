using System.Buffers.Binary;
using Procscope.Linux.Spawning;

namespace Procscope.Linux.Tests.Spawning;

/// <summary>Decoding of netlink proc connector messages (layout of linux/connector.h and linux/cn_proc.h, x86_64).</summary>
public sealed class ProcEventListenerTests
{
    /// <summary>nlmsghdr (16) + cn_msg (20) + proc_event header (what, cpu, timestamp: 16) + data words.</summary>
    private static byte[] Message(uint what, params uint[] words)
    {
        var b = new byte[16 + 20 + 16 + Math.Max(24, words.Length * 4)];
        BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)b.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(16), 1); // CN_IDX_PROC
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(20), 1); // CN_VAL_PROC
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(36), what);
        for (int i = 0; i < words.Length; i++) BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(52 + i * 4), words[i]);
        return b;
    }

    [Fact]
    public void Parse_ProcessFork_ChildAndParentTgid()
    {
        var e = ProcEventListener.Parse(Message(0x1, 100, 100, 200, 200));
        Assert.Equal(new ProcEvent(ProcEventKind.Fork, 200, 100, 0), e);
    }

    [Fact]
    public void Parse_ThreadCreation_Dropped()
    {
        Assert.Null(ProcEventListener.Parse(Message(0x1, 100, 100, 201, 200)));
    }

    [Fact]
    public void Parse_Exit_CarriesWaitStatus()
    {
        // exit(3): exit_code 0x300; parent 100.
        var e = ProcEventListener.Parse(Message(0x80000000, 200, 200, 0x300, 17, 100, 100));
        Assert.Equal(new ProcEvent(ProcEventKind.Exit, 200, 100, 0x300), e);
    }

    [Fact]
    public void Parse_OtherEventsAndShortMessages_Null()
    {
        Assert.Null(ProcEventListener.Parse(Message(0x4, 1, 1, 0, 0))); // PROC_EVENT_UID
        Assert.Null(ProcEventListener.Parse(new byte[20]));
    }

    [Fact]
    public void Live_ForkAndExitOfAChild_AreSeen_AsRoot()
    {
        var listener = ProcEventListener.TryCreate(out var reason);
        if (listener is null) Assert.Skip($"no process events: {reason}");
        var seen = new List<ProcEvent>();
        using (listener)
        {
            listener.Start(e => { lock (seen) seen.Add(e); });
            Assert.Equal(0, ChildProcess.TrySpawn(["sh", "-c", "exit 5"], out var child));
            var (status, _) = child!.Wait();
            Assert.Equal(5, status.ExitCode);
            listener.Stop();
            lock (seen)
            {
                Assert.Contains(new ProcEvent(ProcEventKind.Fork, child.Pid, Environment.ProcessId, 0), seen);
                Assert.Contains(seen, e => e.Kind == ProcEventKind.Exit && e.Pid == child.Pid && e.ExitStatus == 5 << 8);
            }
        }
    }
}
