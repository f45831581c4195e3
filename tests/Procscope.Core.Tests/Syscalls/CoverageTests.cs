using Procscope.Core.Syscalls;

namespace Procscope.Core.Tests.Syscalls;

/// <summary>Which x86_64 calls still print strace's generic form (every register in hex): the list
/// docs/INTERNALS-trace-decode.md gives under "Known differences" (20 of 362).</summary>
public sealed class CoverageTests
{
    [Fact]
    public void GenericFormCalls_AreTheDocumentedOnes()
    {
        var raw = new List<string>();
        var d = new SyscallDecoder(new DecodeOptions());
        foreach (var info in SyscallTable.All(SyscallAbi.X64))
        {
            var c = new SyscallCall { Pid = 1, Abi = SyscallAbi.X64, Number = info.Number };
            d.OnEntry(c, new FakeMemory());
            c.ReturnValue = -38;
            d.OnExit(c, new FakeMemory());
            bool generic = info.ArgCount > 0 && c.Arguments.Count == info.ArgCount
                && c.Arguments.All(a => a.Name.StartsWith("arg", StringComparison.Ordinal));
            if (generic)
                raw.Add(info.Name);
        }
        Assert.Equal(Expected, raw);
    }

    // strace 6.1 prints the first seven with decoders of its own (a known difference); the
    // others it prints in the generic form too (obsolete or never implemented calls).
    private static readonly string[] Expected =
    [
        "ustat", "sysfs", "modify_ldt", "_sysctl", "create_module", "get_kernel_syms", "query_module", "quotactl",
        "nfsservctl", "getpmsg", "putpmsg", "afs_syscall", "tuxcall", "security", "lookup_dcookie", "epoll_ctl_old",
        "epoll_wait_old", "remap_file_pages", "vserver", "quotactl_fd",
    ];
}
