using Procscope.Linux.Interop;

namespace Procscope.Linux.Tracing;

/// <summary>
/// The hooks of the stop loop. Every hook runs on the tracer thread while the thread named in it
/// is in a ptrace-stop, so it may read and write memory and registers through it. Override what
/// you need; the defaults do nothing and deliver signals unchanged.
/// </summary>
public abstract class TraceHandler
{
    /// <summary>A thread became traced: the spawned child, an attached thread, or a new child/thread
    /// of a traced one (with -f). <paramref name="parent"/> is the thread whose fork/vfork/clone made
    /// it, when known.</summary>
    public virtual void OnNewTracee(TraceeThread tracee, TraceeThread? parent) { }

    /// <summary>Syscall-entry stop (or the seccomp stop that stands for it). <paramref name="info"/> is
    /// PTRACE_GET_SYSCALL_INFO's answer (op Entry or Seccomp).</summary>
    public virtual void OnSyscallEntry(TraceeThread tracee, in PtraceSyscallInfo info) { }

    /// <summary>Syscall-exit stop (info.op Exit: rval and is_error). The thread's
    /// <see cref="TraceeThread.SyscallNumber"/> and <see cref="TraceeThread.Abi"/> still name the call.</summary>
    public virtual void OnSyscallExit(TraceeThread tracee, in PtraceSyscallInfo info) { }

    /// <summary>Signal-delivery stop (SIGTRAP from a breakpoint included). Returns the signal to
    /// deliver when the thread resumes: <c>info.si_signo</c> to pass it on, 0 to suppress it.</summary>
    public virtual int OnSignal(TraceeThread tracee, in SigInfo info) => info.si_signo;

    /// <summary>Group-stop (the process was stopped by SIGSTOP, SIGTSTP, SIGTTIN or SIGTTOU).</summary>
    public virtual void OnGroupStop(TraceeThread tracee, int signal) { }

    /// <summary>
    /// PTRACE_EVENT_EXEC: <paramref name="tracee"/> completed an execve. When a non-leader thread
    /// called it, <paramref name="formerTid"/> is that thread's id and <paramref name="tracee"/>
    /// already carries the leader's id; <paramref name="replacedLeader"/> is the old leader's
    /// record, which disappears without an exit report (ptrace(2), "execve(2) under ptrace").
    /// </summary>
    public virtual void OnExec(TraceeThread tracee, int formerTid, TraceeThread? replacedLeader) { }

    /// <summary>The thread exited with <paramref name="code"/> (from WIFEXITED).</summary>
    public virtual void OnExited(TraceeThread tracee, int code) { }

    /// <summary>The thread was killed by <paramref name="signal"/>.</summary>
    public virtual void OnKilled(TraceeThread tracee, int signal, bool coreDumped) { }

    /// <summary>The thread was detached (attached threads when tracing stops) and left running.</summary>
    public virtual void OnDetached(TraceeThread tracee) { }

    /// <summary>
    /// Called before the tracer blocks in waitpid(2) for the next stop (nothing is pending): the
    /// moment to flush buffered output without slowing a busy tracee.
    /// </summary>
    public virtual void OnIdle() { }

    /// <summary>
    /// False when <see cref="OnIdle"/> has nothing to do: the loop then blocks in waitpid at once
    /// instead of polling with WNOHANG first (one system call fewer per stop). Read once at start.
    /// </summary>
    public virtual bool WantsIdleCallbacks => true;
}
