using System.Globalization;
using Procscope.Cli.Infrastructure;

namespace Procscope.Cli.Commands.Iostat;

/// <summary>Size unit of the device columns: -k (default), -m, or sysstat's -G.</summary>
public enum IostatUnit
{
    Kilobytes,
    Megabytes,
    Gigabytes,
}

/// <summary>A device named on the command line; with -p DEV its partitions too.</summary>
public sealed record IostatDeviceArg(string Name, bool WithPartitions);

/// <summary>
/// The parsed invocation, as sysstat 12.6 iostat's flags after main()'s argument loop. sysstat
/// does not use getopt: letters bundle (-xdz), -p takes a device list only as a separate
/// argument that is not a number, a bare word is a device, the first number the interval and
/// the second the count.
/// </summary>
public sealed record IostatSettings
{
    public bool Cpu { get; init; }
    public bool Disk { get; init; }
    public bool Extended { get; init; }
    public bool Short { get; init; }
    public bool Human { get; init; }
    public IostatUnit Unit { get; init; }
    /// <summary>-p: partitions too (every device of /proc/diskstats when no list is given).</summary>
    public bool Everything { get; init; }
    /// <summary>Devices named explicitly, or -p ALL: shown even when never used.</summary>
    public bool Unfiltered { get; init; }
    /// <summary>The word ALL: every whole disk besides the named ones.</summary>
    public bool AllDevices { get; init; }
    public IReadOnlyList<IostatDeviceArg> Devices { get; init; } = [];
    public bool NoFirst { get; init; }
    public bool OmitIdle { get; init; }
    public bool Timestamp { get; init; }
    public bool MapperNames { get; init; }
    public bool Json { get; init; }
    public bool Help { get; init; }
    public bool Version { get; init; }
    /// <summary>Seconds between reports; 0: one report since boot.</summary>
    public long Interval { get; init; }
    /// <summary>Reports to print; -1: until interrupted.</summary>
    public long Count { get; init; } = 1;

    public static IostatSettings Parse(IReadOnlyList<string> args)
    {
        bool cpu = false, disk = false, reportSet = false, extended = false, shortOut = false, human = false;
        bool everything = false, unfiltered = false, allDevices = false, noFirst = false, omit = false, stamp = false;
        bool mapper = false, json = false;
        IostatUnit? unit = null;
        var devices = new List<IostatDeviceArg>();
        long interval = 0, count = 1;
        int it = 0;
        void SetUnit(IostatUnit u, char letter)
        {
            if (unit is { } had && had != u) throw new CliException($"-{letter} cannot be combined with another unit option");
            unit = u;
        }
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (a == "-p")
            {
                if (i + 1 < args.Count && !IsDigits(args[i + 1]) && !args[i + 1].StartsWith('-'))
                {
                    unfiltered = true;
                    foreach (var t in args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (t == "ALL") everything = true;
                        else devices.Add(new IostatDeviceArg(DeviceName(t), true));
                    }
                }
                else
                {
                    everything = true;
                }
                continue;
            }
            if (a is "--help") return new IostatSettings { Help = true };
            if (a is "--json") { json = true; continue; }
            if (a is "--human") { human = true; continue; }
            if (a == "-o")
            {
                if (i + 1 < args.Count && args[i + 1] == "JSON") { json = true; i++; continue; }
                throw new CliException("-o takes JSON (procscope writes NDJSON: one object per report)");
            }
            if (a.StartsWith("--", StringComparison.Ordinal)) throw new CliException($"unrecognized option '{a}'");
            if (a.StartsWith('-') && a.Length > 1)
            {
                foreach (char c in a.AsSpan(1))
                {
                    switch (c)
                    {
                        case 'c': cpu = true; reportSet = true; break;
                        case 'd': disk = true; reportSet = true; break;
                        case 'h': human = true; break;
                        case 'k': SetUnit(IostatUnit.Kilobytes, c); break;
                        case 'm': SetUnit(IostatUnit.Megabytes, c); break;
                        case 'G': SetUnit(IostatUnit.Gigabytes, c); break;
                        case 'N': mapper = true; break;
                        case 'p': everything = true; break;
                        case 's': shortOut = true; break;
                        case 't': stamp = true; break;
                        case 'x': extended = true; break;
                        case 'y': noFirst = true; break;
                        case 'z': omit = true; break;
                        case 'V': return new IostatSettings { Version = true };
                        default: throw new CliException($"invalid option -- '{c}'");
                    }
                }
                continue;
            }
            if (!IsDigits(a))
            {
                unfiltered = true;
                if (a == "ALL") allDevices = true;
                else devices.Add(new IostatDeviceArg(DeviceName(a), false));
                continue;
            }
            if (it == 0)
            {
                interval = Number(a, "interval");
                count = -1;
                it = 1;
            }
            else if (it == 1)
            {
                count = Number(a, "count");
                if (count < 1 || interval == 0) throw new CliException($"invalid count: {a}");
                it = 2;
            }
            else
            {
                throw new CliException($"unexpected argument '{a}'");
            }
        }
        if (interval == 0) count = 1;
        if (!reportSet)
        {
            cpu = true;
            disk = true;
        }
        if (everything || extended || unfiltered) disk = true;
        return new IostatSettings
        {
            Cpu = cpu, Disk = disk, Extended = extended, Short = shortOut, Human = human, Unit = unit ?? IostatUnit.Kilobytes,
            Everything = everything, Unfiltered = unfiltered, AllDevices = allDevices, Devices = devices, NoFirst = noFirst,
            OmitIdle = omit, Timestamp = stamp, MapperNames = mapper, Json = json, Interval = interval, Count = count,
        };
    }

    private static bool IsDigits(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);

    private static long Number(string s, string what) =>
        long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out long v) && v <= int.MaxValue ? v : throw new CliException($"invalid {what}: {s}");

    /// <summary>sysstat's device_name(): /dev/sda and sda name the same device.</summary>
    private static string DeviceName(string s) => s.StartsWith("/dev/", StringComparison.Ordinal) ? s[5..] : s;
}
