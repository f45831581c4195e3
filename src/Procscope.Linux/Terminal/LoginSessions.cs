namespace Procscope.Linux.Terminal;

/// <summary>
/// Counts logged-in users as uptime(1) and top do: USER_PROCESS records in utmp (utmp(5)).
/// x86_64 glibc struct utmp is 384 bytes: ut_type (short) at 0, ut_user[32] at 44.
/// </summary>
public static class LoginSessions
{
    private const int RecordSize = 384;
    private const int UserProcess = 7;

    /// <summary>The number of user sessions in <paramref name="utmpPath"/>; 0 when it cannot be read.</summary>
    public static int CountUsers(string utmpPath = "/run/utmp")
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(utmpPath);
        }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
        return CountUsers(data);
    }

    /// <summary>Counts USER_PROCESS records with a non-empty user name.</summary>
    public static int CountUsers(ReadOnlySpan<byte> utmp)
    {
        int n = 0;
        for (int off = 0; off + RecordSize <= utmp.Length; off += RecordSize)
        {
            short type = (short)(utmp[off] | utmp[off + 1] << 8);
            if (type == UserProcess && utmp[off + 44] != 0) n++;
        }
        return n;
    }
}
