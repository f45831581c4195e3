namespace Procscope.Linux.Interop;

internal static unsafe partial class LibC
{
    [System.Runtime.InteropServices.LibraryImport(Lib, SetLastError = true)]
    public static partial nint write(int fd, byte* buf, nint count);
}
