using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using Procscope.Linux.Interop;

namespace Procscope.Linux;

/// <summary>
/// User and group names from the system's passwd/group database through NSS (getpwuid_r,
/// getgrgid_r), so LDAP/sssd/systemd-homed users resolve as they do for procps. Cached per
/// instance; thread-safe. Unknown ids resolve to null (callers print the number, as ps does).
/// </summary>
public sealed unsafe class UserDatabase
{
    private readonly ConcurrentDictionary<uint, string?> _users = new();
    private readonly ConcurrentDictionary<uint, string?> _groups = new();

    public static UserDatabase Shared { get; } = new();

    public string? UserName(uint uid) => _users.GetOrAdd(uid, static id => LookupUser(id));
    public string? GroupName(uint gid) => _groups.GetOrAdd(gid, static id => LookupGroup(id));

    /// <summary>Resolves a user name to its uid; numeric strings are accepted as ids.</summary>
    public static bool TryGetUid(string nameOrId, out uint uid)
    {
        if (uint.TryParse(nameOrId, out uid)) return true;
        var name = Encoding.UTF8.GetBytes(nameOrId + "\0");
        var buf = new byte[BufSize(LibC._SC_GETPW_R_SIZE_MAX)];
        while (true)
        {
            Passwd pwd;
            Passwd* result = null;
            int rc;
            fixed (byte* n = name)
            fixed (byte* b = buf)
                rc = LibC.getpwnam_r(n, &pwd, b, buf.Length, &result);
            if (rc == Errno.ERANGE && buf.Length < 1 << 20) { buf = new byte[buf.Length * 4]; continue; }
            if (rc != 0 || result == null) return false;
            uid = pwd.pw_uid;
            return true;
        }
    }

    /// <summary>Resolves a group name to its gid; numeric strings are accepted as ids.</summary>
    public static bool TryGetGid(string nameOrId, out uint gid)
    {
        if (uint.TryParse(nameOrId, out gid)) return true;
        var name = Encoding.UTF8.GetBytes(nameOrId + "\0");
        var buf = new byte[BufSize(LibC._SC_GETGR_R_SIZE_MAX)];
        while (true)
        {
            Group grp;
            Group* result = null;
            int rc;
            fixed (byte* n = name)
            fixed (byte* b = buf)
                rc = LibC.getgrnam_r(n, &grp, b, buf.Length, &result);
            if (rc == Errno.ERANGE && buf.Length < 1 << 20) { buf = new byte[buf.Length * 4]; continue; }
            if (rc != 0 || result == null) return false;
            gid = grp.gr_gid;
            return true;
        }
    }

    /// <summary>
    /// An account by name only (getpwnam_r, as strace -u: a number is not a user name): its uid,
    /// its primary gid and the groups initgroups(3) would give it (getgrouplist(3)).
    /// </summary>
    public static bool TryGetAccount(string name, out uint uid, out uint gid, out uint[] groups)
    {
        uid = gid = 0;
        groups = [];
        var cname = Encoding.UTF8.GetBytes(name + "\0");
        var buf = new byte[BufSize(LibC._SC_GETPW_R_SIZE_MAX)];
        while (true)
        {
            Passwd pwd;
            Passwd* result = null;
            int rc;
            fixed (byte* n = cname)
            fixed (byte* b = buf)
                rc = LibC.getpwnam_r(n, &pwd, b, buf.Length, &result);
            if (rc == Errno.ERANGE && buf.Length < 1 << 20) { buf = new byte[buf.Length * 4]; continue; }
            if (rc != 0 || result == null) return false;
            uid = pwd.pw_uid;
            gid = pwd.pw_gid;
            break;
        }
        int count = 32;
        while (true)
        {
            var list = new uint[count];
            int n = count;
            int r;
            fixed (byte* u = cname)
            fixed (uint* g = list)
                r = LibC.getgrouplist(u, gid, g, &n);
            if (r >= 0)
            {
                groups = list[..n];
                return true;
            }
            if (n <= count || n > 1 << 16) return false;
            count = n;
        }
    }

    private static int BufSize(int name)
    {
        long n = LibC.sysconf(name);
        return n is > 0 and < 1 << 20 ? (int)n : 16384;
    }

    private static string? LookupUser(uint uid)
    {
        var buf = new byte[BufSize(LibC._SC_GETPW_R_SIZE_MAX)];
        while (true)
        {
            Passwd pwd;
            Passwd* result = null;
            int rc;
            fixed (byte* b = buf)
            {
                rc = LibC.getpwuid_r(uid, &pwd, b, buf.Length, &result);
                if (rc == 0 && result != null) return Marshal.PtrToStringUTF8((nint)pwd.pw_name);
            }
            if (rc == Errno.ERANGE && buf.Length < 1 << 20) { buf = new byte[buf.Length * 4]; continue; }
            return null;
        }
    }

    private static string? LookupGroup(uint gid)
    {
        var buf = new byte[BufSize(LibC._SC_GETGR_R_SIZE_MAX)];
        while (true)
        {
            Group grp;
            Group* result = null;
            int rc;
            fixed (byte* b = buf)
            {
                rc = LibC.getgrgid_r(gid, &grp, b, buf.Length, &result);
                if (rc == 0 && result != null) return Marshal.PtrToStringUTF8((nint)grp.gr_name);
            }
            if (rc == Errno.ERANGE && buf.Length < 1 << 20) { buf = new byte[buf.Length * 4]; continue; }
            return null;
        }
    }
}

/// <summary>Facts about the calling process needed by commands (effective uid, own pid).</summary>
public static class Self
{
    public static uint EffectiveUid => LibC.geteuid();
    public static int Pid => LibC.getpid();
}
