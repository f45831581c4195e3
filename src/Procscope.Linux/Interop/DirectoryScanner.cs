using System.Runtime.InteropServices;
using System.Buffers.Text;

namespace Procscope.Linux.Interop;

/// <summary>Lists the numeric entries of a directory (/proc, /proc/[pid]/task, /proc/[pid]/fd) with readdir, no strings allocated.</summary>
internal static unsafe class DirectoryScanner
{
    /// <summary>Appends every all-digit entry name as an int. Returns errno (0 on success).</summary>
    public static int ListNumeric(string path, List<int> into)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        nint dir;
        fixed (byte* p = bytes) dir = LibC.opendir(p);
        if (dir == 0) return Marshal.GetLastSystemError();
        try
        {
            while (true)
            {
                Marshal.SetLastSystemError(0);
                Dirent64* e = LibC.readdir64(dir);
                if (e == null)
                {
                    int err = Marshal.GetLastSystemError();
                    return err;
                }
                byte* name = e->d_name;
                if (name[0] < (byte)'0' || name[0] > (byte)'9') continue;
                var span = new ReadOnlySpan<byte>(name, 256);
                int len = span.IndexOf((byte)0);
                if (len < 0) continue;
                if (Utf8Parser.TryParse(span[..len], out int v, out int consumed) && consumed == len) into.Add(v);
            }
        }
        finally
        {
            LibC.closedir(dir);
        }
    }

    /// <summary>Counts entries other than "." and "..". Returns errno (0 on success).</summary>
    public static int Count(string path, out int count)
    {
        count = 0;
        var bytes = System.Text.Encoding.UTF8.GetBytes(path + "\0");
        nint dir;
        fixed (byte* p = bytes) dir = LibC.opendir(p);
        if (dir == 0) return Marshal.GetLastSystemError();
        try
        {
            while (true)
            {
                Marshal.SetLastSystemError(0);
                Dirent64* e = LibC.readdir64(dir);
                if (e == null) return Marshal.GetLastSystemError();
                byte* n = e->d_name;
                if (n[0] == '.' && (n[1] == 0 || (n[1] == '.' && n[2] == 0))) continue;
                count++;
            }
        }
        finally
        {
            LibC.closedir(dir);
        }
    }
}
