namespace Procscope.Core.Syscalls;

public sealed partial class SyscallDecoder
{
    /// <summary>Decodes the entry arguments; false leaves the generic hex form.</summary>
    private bool DecodeEntry(SyscallInfo info) => false;

    private void DecodeExit(SyscallInfo info)
    {
    }

    private bool SpecialReturn(SyscallId id, long rv) => false;
}
