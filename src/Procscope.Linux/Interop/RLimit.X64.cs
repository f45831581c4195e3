using System.Runtime.InteropServices;

namespace Procscope.Linux.Interop;

/// <summary>struct rlimit (sys/resource.h), x86_64: two rlim_t (unsigned long), 16 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct RLimit
{
    public ulong rlim_cur;
    public ulong rlim_max;
}
