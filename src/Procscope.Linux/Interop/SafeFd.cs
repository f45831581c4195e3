using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Procscope.Linux.Interop;

/// <summary>An owned file descriptor; never leaves the interop folder raw.</summary>
internal sealed class SafeFd : SafeHandleZeroOrMinusOneIsInvalid
{
    public SafeFd() : base(true) { }
    public SafeFd(int fd) : base(true) => SetHandle(fd);
    public int Fd => (int)handle;
    protected override bool ReleaseHandle() => LibC.close((int)handle) == 0;

    /// <summary>Opens a directory (O_DIRECTORY|O_CLOEXEC); returns errno on failure.</summary>
    public static unsafe int OpenDirectory(string path, out SafeFd? fd)
    {
        fd = null;
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        int r;
        fixed (byte* p = bytes)
        {
            do r = LibC.open(p, LibC.O_RDONLY | LibC.O_DIRECTORY | LibC.O_CLOEXEC);
            while (r < 0 && Marshal.GetLastSystemError() == Errno.EINTR);
        }
        if (r < 0) return Marshal.GetLastSystemError();
        fd = new SafeFd(r);
        return 0;
    }
}
