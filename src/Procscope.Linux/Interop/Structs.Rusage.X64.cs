using System.Runtime.InteropServices;

namespace Procscope.Linux.Interop;

// x86_64 glibc layouts; checked against offsetof() by tests/Procscope.Linux.Tests/RusageLayoutTests.

/// <summary>struct timeval (sys/time.h): 16 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct Timeval
{
    [FieldOffset(0)] public long tv_sec;
    [FieldOffset(8)] public long tv_usec;
}

/// <summary>struct timespec (time.h): 16 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct Timespec
{
    [FieldOffset(0)] public long tv_sec;
    [FieldOffset(8)] public long tv_nsec;
}

/// <summary>struct rusage (sys/resource.h, getrusage(2)): 144 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 144)]
internal struct Rusage
{
    [FieldOffset(0)] public Timeval ru_utime;
    [FieldOffset(16)] public Timeval ru_stime;
    [FieldOffset(32)] public long ru_maxrss;
    [FieldOffset(40)] public long ru_ixrss;
    [FieldOffset(48)] public long ru_idrss;
    [FieldOffset(56)] public long ru_isrss;
    [FieldOffset(64)] public long ru_minflt;
    [FieldOffset(72)] public long ru_majflt;
    [FieldOffset(80)] public long ru_nswap;
    [FieldOffset(88)] public long ru_inblock;
    [FieldOffset(96)] public long ru_oublock;
    [FieldOffset(104)] public long ru_msgsnd;
    [FieldOffset(112)] public long ru_msgrcv;
    [FieldOffset(120)] public long ru_nsignals;
    [FieldOffset(128)] public long ru_nvcsw;
    [FieldOffset(136)] public long ru_nivcsw;
}

internal static class RusageStructInfo
{
    public static unsafe int SizeOfRusage => sizeof(Rusage);
    public static unsafe int SizeOfTimespec => sizeof(Timespec);
}
