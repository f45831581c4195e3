using Procscope.Core.Parsing;

namespace Procscope.Core.Files;

/// <summary>One line of /proc/[pid]/mountinfo (proc_pid_mountinfo(5)).</summary>
public sealed record MountEntry(int MountId, uint Major, uint Minor, byte[] MountPoint, string FsType)
{
    /// <summary>
    /// File systems where a stat() can block for a long time (a dead server, a hung FUSE daemon):
    /// lsof#181. Their files are described from fdinfo and the link text only.
    /// </summary>
    public bool IsRemoteOrFuse => FsType.StartsWith("fuse", StringComparison.Ordinal) || FsType is "nfs" or "nfs4" or "cifs" or "smb3"
        or "smbfs" or "ncpfs" or "afs" or "9p" or "ceph" or "glusterfs" or "sshfs" or "davfs" or "lustre" or "gfs2" or "ocfs2" or "virtiofs";
}

/// <summary>/proc/[pid]/mountinfo: "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue".</summary>
public sealed record MountInfo(IReadOnlyList<MountEntry> Mounts) : IProcFile<MountInfo>
{
    public static MountInfo Parse(ReadOnlySpan<byte> content)
    {
        var list = new List<MountEntry>();
        int pos = 0;
        while (pos < content.Length)
        {
            int nl = content[pos..].IndexOf((byte)'\n');
            int end = nl < 0 ? content.Length : pos + nl;
            var r = new SpanReader(content[..end], "/proc/[pid]/mountinfo", pos);
            if (r.HasField())
            {
                int id = r.NextInt32();
                r.NextField(); // parent
                var dev = r.NextField();
                int colon = dev.IndexOf((byte)':');
                if (colon < 0 || !Bytes.TryUInt64(dev[..colon], out ulong major) || !Bytes.TryUInt64(dev[(colon + 1)..], out ulong minor))
                    throw r.Fail("expected major:minor");
                r.NextField(); // root
                var mp = OctalEscape.Unescape(r.NextField());
                // Optional fields end with "-".
                while (r.TryNextField(out var f) && !f.SequenceEqual("-"u8)) { }
                var fs = System.Text.Encoding.UTF8.GetString(r.NextField());
                list.Add(new MountEntry(id, (uint)major, (uint)minor, mp, fs));
            }
            pos = end + 1;
        }
        return new MountInfo(list);
    }

    /// <summary>The mount whose mount point is the longest prefix of <paramref name="path"/> (null when none).</summary>
    public MountEntry? Containing(ReadOnlySpan<byte> path)
    {
        MountEntry? best = null;
        foreach (var m in Mounts)
        {
            var mp = m.MountPoint.AsSpan();
            bool prefix = mp.Length == 1 ? path.Length > 0 && path[0] == (byte)'/'
                : path.StartsWith(mp) && (path.Length == mp.Length || path[mp.Length] == (byte)'/');
            if (prefix && (best is null || mp.Length >= best.MountPoint.Length)) best = m;
        }
        return best;
    }
}
