namespace Procscope.Linux.Processes;

/// <summary>Base of the single-process exception family (CONVENTIONS.md §4).</summary>
public abstract class ProcessException : Exception
{
    protected ProcessException(int pid, string? name, string message) : base(message)
    {
        Pid = pid;
        Name = name;
    }

    public int Pid { get; }
    /// <summary>The last known command name, if any was read.</summary>
    public string? Name { get; }
}

/// <summary>The process does not exist (ENOENT on /proc/[pid], ESRCH), or exited while we read it.</summary>
public sealed class ProcessNotFoundException(int pid, string? name = null)
    : ProcessException(pid, name, name is null ? $"process {pid} not found" : $"process {pid} ({name}) not found");

/// <summary>Permission to read a file of the process was refused (EACCES/EPERM).</summary>
public sealed class ProcessAccessDeniedException(int pid, string file, string? name = null)
    : ProcessException(pid, name, $"access to {file} of process {pid} denied")
{
    public string File { get; } = file;
}

/// <summary>The file does not exist for a live process: this kernel does not support it.</summary>
public sealed class ProcessFileNotSupportedException(int pid, string file, string? name = null)
    : ProcessException(pid, name, $"{file} is not available for process {pid} on this kernel")
{
    public string File { get; } = file;
}
