using System.Buffers.Binary;
using Procscope.Core.Parsing;

namespace Procscope.Core.Sys;

/// <summary>
/// The utmp login records (/var/run/utmp), see utmp(5): fixed-size <c>struct utmp</c> records in
/// the x86_64 glibc layout (384 bytes; offsets checked against the system header by
/// tests/Procscope.Linux.Tests/SysStructLayoutTests). uptime(1) of procps-ng 4.0.2 counts the records
/// of type USER_PROCESS with a non-empty user name (library/uptime.c, count_users()). A short
/// record at the end (a file being written) is ignored, as getutent(3) ignores it.
/// </summary>
public sealed record Utmp(IReadOnlyList<UtmpRecord> Records) : IProcFile<Utmp>
{
    /// <summary>sizeof(struct utmp) on x86_64 glibc.</summary>
    public const int RecordSize = 384;
    /// <summary>offsetof(struct utmp, ut_pid).</summary>
    public const int PidOffset = 4;
    /// <summary>offsetof(struct utmp, ut_line); 32 bytes.</summary>
    public const int LineOffset = 8;
    /// <summary>offsetof(struct utmp, ut_user); 32 bytes.</summary>
    public const int UserOffset = 44;
    /// <summary>offsetof(struct utmp, ut_host); 256 bytes.</summary>
    public const int HostOffset = 76;
    /// <summary>offsetof(struct utmp, ut_tv.tv_sec) (a 32-bit field in the file format).</summary>
    public const int TimeOffset = 340;

    /// <summary>ut_type of a normal login session (utmp.h USER_PROCESS).</summary>
    public const short UserProcess = 7;

    public static Utmp Parse(ReadOnlySpan<byte> content)
    {
        var records = new List<UtmpRecord>(content.Length / RecordSize);
        for (int at = 0; at + RecordSize <= content.Length; at += RecordSize)
        {
            var r = content.Slice(at, RecordSize);
            records.Add(new UtmpRecord(
                BinaryPrimitives.ReadInt16LittleEndian(r),
                BinaryPrimitives.ReadInt32LittleEndian(r[PidOffset..]),
                CString(r.Slice(LineOffset, 32)),
                CString(r.Slice(UserOffset, 32)),
                CString(r.Slice(HostOffset, 256)),
                BinaryPrimitives.ReadInt32LittleEndian(r[TimeOffset..])));
        }
        return new Utmp(records);
    }

    /// <summary>The number uptime(1) prints as "N users": USER_PROCESS records with a user name.</summary>
    public int CountUsers()
    {
        int n = 0;
        foreach (var r in Records)
            if (r.Type == UserProcess && r.User.Length > 0) n++;
        return n;
    }

    // The fixed fields are NUL-padded and not necessarily NUL-terminated.
    private static string CString(ReadOnlySpan<byte> field)
    {
        int nul = field.IndexOf((byte)0);
        return TextSanitizer.Lossy(nul >= 0 ? field[..nul] : field);
    }
}

/// <summary>One utmp record. Text fields are the raw bytes decoded as UTF-8 (sanitize before printing).</summary>
/// <param name="Type">ut_type (USER_PROCESS = 7, DEAD_PROCESS = 8, BOOT_TIME = 2, ...).</param>
/// <param name="Pid">ut_pid.</param>
/// <param name="Line">ut_line: the tty without "/dev/".</param>
/// <param name="User">ut_user.</param>
/// <param name="Host">ut_host: remote host, or X display.</param>
/// <param name="TimeUnixSeconds">ut_tv.tv_sec.</param>
public sealed record UtmpRecord(short Type, int Pid, string Line, string User, string Host, long TimeUnixSeconds);
