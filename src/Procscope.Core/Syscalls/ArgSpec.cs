namespace Procscope.Core.Syscalls;

/// <summary>How one argument register is decoded. Types marked "exit" are printed when the call
/// returns (the kernel fills them), and so is every argument after the first of them.</summary>
internal enum A : byte
{
    Int, UInt, Long, ULong, Hex, Ptr, Fd, DirFd, Path, Str, Mode, Flags, FlagsL, Value, ValueHex, Signal, Id, Off,
    /// <summary>Bytes whose length is register Aux.</summary>
    BufIn,
    /// <summary>Bytes at exit whose length is the return value (read, recv).</summary>
    BufOut,
    /// <summary>Like BufOut, always in hex (getrandom).</summary>
    BufOutHex,
    /// <summary>A path the kernel wrote (getcwd): NUL-terminated, at exit.</summary>
    PathOut,
    /// <summary>A path of return-value length, not NUL-terminated (readlink), at exit.</summary>
    LinkOut,
    StatOut, Stat64Out, StatxOut, StatfsOut, Statfs64Out,
    TsIn, TsOut, TsRem, TvIn, TvOut, TzOut, ItsIn, ItsOut, ItvIn, ItvOut,
    RlimIn, RlimOut, Rlim64In, Rlim64Out, UtsOut, SysinfoOut, TmsOut, RusageOut,
    /// <summary>A sigset_t of register Aux bytes.</summary>
    SigsetIn, SigsetOut,
    SigactIn, SigactOut,
    FdPairOut, IntOut, IntIn, IdOut,
    /// <summary>An in/out socklen_t: "[128 => 16]".</summary>
    LenInOut,
    /// <summary>An iovec array of register Aux entries.</summary>
    IovIn, IovOut,
    /// <summary>A sockaddr of register Aux bytes.</summary>
    SaIn,
    /// <summary>A sockaddr whose length is in the socklen_t at register Aux (at exit).</summary>
    SaOut,
    MsgIn, MsgOut,
    PollFds, EpollEvIn, EpollEvsOut, Dents64Out, DentsOut,
    WaitStatusOut, SchedParamIn, SchedParamOut, CpuSetIn, CpuSetOut, GroupsIn, GroupsOut,
    SigInfoIn, FdSetIn, Sockopt, SockoptOut, Argv, Envp, TimeOut, SiginfoOut, SockType, SockProto, SockoptIn, StatxFlags,
    /// <summary>A key serial number or KEY_SPEC_* name.</summary>
    KeySerial,
}

internal readonly record struct ArgSpec(string Name, A Type, XlatTable? X = null, sbyte Aux = -1)
{
    public bool AtExit => Type is A.BufOut or A.BufOutHex or A.PathOut or A.LinkOut or A.StatOut or A.Stat64Out or A.StatxOut
        or A.StatfsOut or A.Statfs64Out or A.TsOut or A.TsRem or A.TvOut or A.TzOut or A.ItsOut or A.ItvOut or A.RlimOut
        or A.Rlim64Out or A.UtsOut or A.SysinfoOut or A.TmsOut or A.RusageOut or A.SigsetOut or A.SigactOut or A.FdPairOut
        or A.IntOut or A.IdOut or A.LenInOut or A.IovOut or A.SaOut or A.MsgOut or A.EpollEvsOut or A.Dents64Out or A.DentsOut
        or A.WaitStatusOut or A.SchedParamOut or A.CpuSetOut or A.GroupsOut or A.SockoptOut or A.TimeOut or A.SiginfoOut;
}
