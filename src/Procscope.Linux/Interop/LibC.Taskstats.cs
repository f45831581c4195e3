namespace Procscope.Linux.Interop;

/// <summary>
/// Generic netlink and taskstats constants (linux/netlink.h, linux/genetlink.h,
/// linux/taskstats.h). The socket calls themselves are imported in LibC.Netlink.cs.
/// </summary>
internal static partial class LibC
{
    public const int SOCK_RAW = 3;
    public const int NETLINK_GENERIC = 16;

    public const ushort NLMSG_ERROR = 2;
    public const ushort NLM_F_REQUEST = 1;
    public const ushort GENL_ID_CTRL = 16;
    public const byte CTRL_CMD_GETFAMILY = 3;
    public const ushort CTRL_ATTR_FAMILY_ID = 1;
    public const ushort CTRL_ATTR_FAMILY_NAME = 2;

    public const byte TASKSTATS_CMD_GET = 1;
    public const ushort TASKSTATS_CMD_ATTR_PID = 1;
    public const ushort TASKSTATS_CMD_ATTR_TGID = 2;
    public const ushort TASKSTATS_TYPE_PID = 1;
    public const ushort TASKSTATS_TYPE_TGID = 2;
    public const ushort TASKSTATS_TYPE_STATS = 3;
    public const ushort TASKSTATS_TYPE_AGGR_PID = 4;
    public const ushort TASKSTATS_TYPE_AGGR_TGID = 5;
    /// <summary>Nested attribute flag bits the kernel may set in nla_type.</summary>
    public const ushort NLA_TYPE_MASK = 0x3fff;
}
