using Procscope.Linux.Interop;

namespace Procscope.Linux.Processes;

/// <summary>
/// The threads of a process in the order the kernel lists /proc/[pid]/task: thread-group order
/// (creation order), which is what ps shows. It differs from numeric order once thread ids have
/// wrapped around pid_max. <see cref="ProcFs.ListTids"/> sorts; this does not.
/// </summary>
public static class TaskOrder
{
    /// <summary>Thread ids in directory order; empty when the process is gone.</summary>
    public static int[] ListTidsInKernelOrder(this ProcFs fs, int pid)
    {
        var list = new List<int>(8);
        DirectoryScanner.ListNumeric($"{fs.Root}/{pid}/task", list);
        return list.ToArray();
    }
}
