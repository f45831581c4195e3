using Procscope.Cli.Infrastructure;
using Procscope.Core.Parsing;
using Procscope.Linux;

namespace Procscope.Cli.Classic;

/// <summary>
/// Reads a system-wide /proc file for a classic command, turning a missing or unreadable file
/// (a container without /proc, a wrong --procfs) into the one-line user error procps gives,
/// not an internal error.
/// </summary>
public static class ProcReads
{
    public const int ENOENT = 2;

    public static T Read<T>(ProcFs procFs, string relative, Func<string, string>? whenMissing = null) where T : IProcFile<T>
    {
        try
        {
            return procFs.Read<T>(relative);
        }
        catch (IOException e)
        {
            string path = procFs.PathOf(relative);
            if (e.HResult == ENOENT && whenMissing is not null) throw new CliException(whenMissing(path));
            throw new CliException(e.Message);
        }
    }
}
