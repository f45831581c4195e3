using Procscope.Core.Parsing;

namespace Procscope.Core.Process;

/// <summary>
/// /proc/[pid]/comm and /proc/[pid]/task/[tid]/comm, see proc_pid_comm(5): the command name
/// (TASK_COMM_LEN, 15 bytes for user tasks; kernel threads and workqueue workers can show up to
/// 64) followed by one newline.
/// </summary>
public sealed record ProcessComm(byte[] NameBytes) : IProcFile<ProcessComm>
{
    /// <summary>
    /// Strips the single trailing newline only. Unlike the Name line of /proc/[pid]/status nothing
    /// is escaped here, so a name that itself ends in a newline (prctl(PR_SET_NAME, "a\n")) reads
    /// as "a\n\n" and keeps one.
    /// </summary>
    public static ProcessComm Parse(ReadOnlySpan<byte> content)
    {
        if (!content.IsEmpty && content[^1] == (byte)'\n') content = content[..^1];
        return new ProcessComm(content.ToArray());
    }
}
