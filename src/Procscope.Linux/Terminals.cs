using System.Runtime.InteropServices;
using System.Text;
using Procscope.Linux.Interop;

namespace Procscope.Linux;

/// <summary>
/// Controlling-terminal names for tty_nr values of /proc/[pid]/stat, resolved the way procps'
/// dev_to_tty() does: first through the driver table in /proc/tty/drivers (checking that the
/// /dev node exists with that device number), then through the classic major-number guesses
/// (4 → tty*/ttyS*, 136-143 → pts/*, ...). procps' last resort, readlink of
/// /proc/[pid]/fd/2 and fd/255, is not used: it needs ptrace access and rarely adds anything.
/// Names are cached; an instance is not thread-safe.
/// </summary>
public sealed class TerminalNames
{
    private readonly ProcFs _fs;
    private List<Driver>? _drivers;
    private readonly Dictionary<int, string?> _cache = new();

    public TerminalNames(ProcFs fs) => _fs = fs;

    /// <summary>Major device number encoded in a tty_nr (bits 19..8, as glibc's major()).</summary>
    public static int Major(int ttyNr) => (int)(((uint)ttyNr >> 8) & 0xfff);

    /// <summary>Minor device number encoded in a tty_nr (bits 31..20 and 7..0).</summary>
    public static int Minor(int ttyNr) => (int)(((uint)ttyNr & 0xff) | (((uint)ttyNr >> 12) & 0xfff00));

    /// <summary>
    /// The terminal's name without "/dev/" (pts/3, tty1, ttyS0, console), or null when the
    /// process has none (tty_nr 0) or no device node matches (ps prints "?" for both).
    /// </summary>
    public string? Name(int ttyNr)
    {
        if (ttyNr == 0) return null;
        if (_cache.TryGetValue(ttyNr, out var name)) return name;
        uint maj = (uint)Major(ttyNr), min = (uint)Minor(ttyNr);
        string? path = DriverName(maj, min) ?? GuessName(maj, min);
        name = path is null ? null : Abbreviate(path);
        _cache[ttyNr] = name;
        return name;
    }

    /// <summary>
    /// stat(2) of a path: whether it exists, and if it is a character device its number in the
    /// tty_nr encoding of /proc/[pid]/stat (so `ps -t` can compare them).
    /// </summary>
    public static unsafe bool TryStat(string path, out bool isCharDevice, out int ttyNr)
    {
        isCharDevice = false;
        ttyNr = 0;
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        Stat st;
        int rc;
        fixed (byte* p = bytes)
            rc = LibC.stat(p, &st);
        if (rc != 0) return false;
        isCharDevice = (st.st_mode & LibC.S_IFMT) == LibC.S_IFCHR;
        // glibc's dev_t packs major into bits 8..19 and 32..63, minor into 0..7 and 20..31 (and
        // 44..63); its low 32 bits equal the kernel's new_encode_dev() used for tty_nr.
        ttyNr = (int)(uint)st.st_rdev;
        return true;
    }

    private static unsafe bool StatDevice(string path, out uint maj, out uint min)
    {
        maj = min = 0;
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        Stat st;
        int rc;
        fixed (byte* p = bytes)
            rc = LibC.stat(p, &st);
        if (rc != 0) return false;
        ulong dev = st.st_rdev;
        maj = (uint)(((dev >> 8) & 0xfff) | ((dev >> 32) & ~0xfffUL));
        min = (uint)((dev & 0xff) | ((dev >> 12) & ~0xffUL));
        return true;
    }

    private static bool Exists(string path) => StatDevice(path, out _, out _);

    private static string Abbreviate(string path)
    {
        var s = path.StartsWith("/dev/", StringComparison.Ordinal) && path.Length > 5 ? path[5..] : path;
        if (s.Length > 64) s = s[..64];
        Span<char> buf = stackalloc char[s.Length];
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            buf[i] = c <= ' ' || c > '~' ? '?' : c;
        }
        return new string(buf);
    }

    private sealed record Driver(string Name, bool Devfs, uint Major, uint MinorFirst, uint MinorLast);

    private string? DriverName(uint maj, uint min)
    {
        _drivers ??= LoadDrivers();
        // procps pushes each line on the front of a list, so the last matching line wins.
        for (int i = _drivers.Count - 1; i >= 0; i--)
        {
            var d = _drivers[i];
            if (d.Major != maj || d.MinorFirst > min || d.MinorLast < min) continue;
            string path = $"/dev/{d.Name}{min}";
            if (!StatDevice(path, out uint m1, out uint n1))
            {
                path = $"/dev/{d.Name}/{min}";
                if (!StatDevice(path, out m1, out n1))
                {
                    if (d.Devfs) return null;
                    path = $"/dev/{d.Name}";
                    if (!StatDevice(path, out m1, out n1)) return null;
                }
            }
            return m1 == maj && n1 == min ? path : null;
        }
        return null;
    }

    /// <summary>Parses /proc/tty/drivers: "name /dev/node major minor[-minor] type" per line.</summary>
    private List<Driver> LoadDrivers()
    {
        var list = new List<Driver>();
        var raw = _fs.TryReadBytes("tty/drivers");
        if (raw is null) return list;
        var text = Encoding.ASCII.GetString(raw, 0, Math.Min(raw.Length, 9999));
        int p = 0;
        while ((p = text.IndexOf(" /dev/", p, StringComparison.Ordinal)) >= 0)
        {
            p += 6;
            int end = text.IndexOf(' ', p);
            if (end < 0) continue;
            string name = text[p..end];
            bool devfs = false;
            if (name.Length >= 3 && name.EndsWith("%d", StringComparison.Ordinal))
            {
                name = name[..^2];
                devfs = true;
            }
            if (name.Length > 15) name = name[..15];
            p = end;
            while (p < text.Length && text[p] == ' ') p++;
            uint major = ParseUInt(text, ref p, out _);
            while (p < text.Length && text[p] == ' ') p++;
            uint first = ParseUInt(text, ref p, out bool okFirst);
            if (!okFirst) continue;
            uint last = first;
            if (p < text.Length && text[p] == '-')
            {
                p++;
                uint l = ParseUInt(text, ref p, out bool okLast);
                if (okLast) last = l;
            }
            list.Add(new Driver(name, devfs, major, first, last));
        }
        return list;
    }

    private static uint ParseUInt(string s, ref int p, out bool ok)
    {
        ok = false;
        uint v = 0;
        while (p < s.Length && s[p] >= '0' && s[p] <= '9')
        {
            v = unchecked(v * 10 + (uint)(s[p] - '0'));
            p++;
            ok = true;
        }
        return v;
    }

    private static readonly string[] LowDensityNames =
    [
        "LU0", "LU1", "LU2", "LU3", "FB0", "SA0", "SA1", "SA2", "SC0", "SC1", "SC2", "SC3",
        "FW0", "FW1", "FW2", "FW3", "AM0", "AM1", "AM2", "AM3", "AM4", "AM5", "AM6", "AM7",
        "AM8", "AM9", "AM10", "AM11", "AM12", "AM13", "AM14", "AM15",
        "DB0", "DB1", "DB2", "DB3", "DB4", "DB5", "DB6", "DB7", "SG0", "SMX0", "SMX1", "SMX2",
        "MM0", "MM1", "CPM0", "CPM1", "CPM2", "CPM3",
        "IOC0", "IOC1", "IOC2", "IOC3", "IOC4", "IOC5", "IOC6", "IOC7",
        "IOC8", "IOC9", "IOC10", "IOC11", "IOC12", "IOC13", "IOC14", "IOC15",
        "IOC16", "IOC17", "IOC18", "IOC19", "IOC20", "IOC21", "IOC22", "IOC23",
        "IOC24", "IOC25", "IOC26", "IOC27", "IOC28", "IOC29", "IOC30", "IOC31", "VR0", "VR1",
        "IOC84", "IOC85", "IOC86", "IOC87", "IOC88", "IOC89", "IOC90", "IOC91",
        "IOC92", "IOC93", "IOC94", "IOC95", "IOC96", "IOC97", "IOC98", "IOC99",
        "IOC100", "IOC101", "IOC102", "IOC103", "IOC104", "IOC105", "IOC106", "IOC107",
        "IOC108", "IOC109", "IOC110", "IOC111", "IOC112", "IOC113", "IOC114", "IOC115",
        "SIOC0", "SIOC1", "SIOC2", "SIOC3", "SIOC4", "SIOC5", "SIOC6", "SIOC7",
        "SIOC8", "SIOC9", "SIOC10", "SIOC11", "SIOC12", "SIOC13", "SIOC14", "SIOC15",
        "SIOC16", "SIOC17", "SIOC18", "SIOC19", "SIOC20", "SIOC21", "SIOC22", "SIOC23",
        "SIOC24", "SIOC25", "SIOC26", "SIOC27", "SIOC28", "SIOC29", "SIOC30", "SIOC31",
        "PSC0", "PSC1", "PSC2", "PSC3", "PSC4", "PSC5",
        "AT0", "AT1", "AT2", "AT3", "AT4", "AT5", "AT6", "AT7",
        "AT8", "AT9", "AT10", "AT11", "AT12", "AT13", "AT14", "AT15",
        "NX0", "NX1", "NX2", "NX3", "NX4", "NX5", "NX6", "NX7",
        "NX8", "NX9", "NX10", "NX11", "NX12", "NX13", "NX14", "NX15",
        "J0", "UL0", "UL1", "UL2", "UL3", "xvc0", "PZ0", "PZ1", "PZ2", "PZ3",
        "TX0", "TX1", "TX2", "TX3", "TX4", "TX5", "TX6", "TX7", "SC0", "SC1", "SC2", "SC3",
        "MAX0", "MAX1", "MAX2", "MAX3",
    ];

    /// <summary>The traditional names of well-known majors (devices.txt), verified with stat.</summary>
    private static string? GuessName(uint maj, uint min)
    {
        string? path = maj switch
        {
            3 when min <= 255 => $"/dev/tty{"pqrstuvwxyzabcde"[(int)(min >> 4)]}{"0123456789abcdef"[(int)(min & 0x0f)]}",
            4 => min < 64 ? $"/dev/tty{min}" : $"/dev/ttyS{min - 64}",
            11 => $"/dev/ttyB{min}",
            17 => $"/dev/ttyH{min}",
            19 => $"/dev/ttyC{min}",
            22 or 23 => $"/dev/ttyD{min}",
            24 => $"/dev/ttyE{min}",
            32 => $"/dev/ttyX{min}",
            43 => $"/dev/ttyI{min}",
            46 => $"/dev/ttyR{min}",
            48 => $"/dev/ttyL{min}",
            57 => $"/dev/ttyP{min}",
            71 => $"/dev/ttyF{min}",
            75 => $"/dev/ttyW{min}",
            78 or 112 => $"/dev/ttyM{min}",
            105 => $"/dev/ttyV{min}",
            >= 136 and <= 143 => $"/dev/pts/{min + (maj - 136) * 256}",
            148 => $"/dev/ttyT{min}",
            154 => $"/dev/ttySR{min}",
            156 => $"/dev/ttySR{min + 256}",
            164 => $"/dev/ttyCH{min}",
            166 => $"/dev/ttyACM{min}",
            172 => $"/dev/ttyMX{min}",
            174 => $"/dev/ttySI{min}",
            188 => $"/dev/ttyUSB{min}",
            204 when min < LowDensityNames.Length => "/dev/tty" + LowDensityNames[min],
            208 => $"/dev/ttyU{min}",
            216 => $"/dev/ttyUB{min}",
            224 => $"/dev/ttyY{min}",
            227 => $"/dev/3270/tty{min}",
            229 => $"/dev/iseries/vtty{min}",
            256 => $"/dev/ttyEQ{min}",
            _ => null,
        };
        if (path is null) return null;
        return StatDevice(path, out uint m, out uint n) && m == maj && n == min ? path : null;
    }

    /// <summary>Whether a path exists (any file type), as procps' one-letter tty kludge needs.</summary>
    public static bool PathExists(string path) => Exists(path);
}

/// <summary>The size of the terminal the process writes to, without initializing a terminal library (which would emit escape sequences).</summary>
public static class TerminalWindow
{
    /// <summary>
    /// TIOCGWINSZ on stdout, stderr, stdin, then /dev/tty, as procps does; false when none is a
    /// terminal with a non-zero size.
    /// </summary>
    public static unsafe bool TryGetSize(out int columns, out int rows)
    {
        columns = rows = 0;
        foreach (int fd in new[] { 1, 2, 0 })
            if (Take(fd, ref columns, ref rows)) return true;
        var path = "/dev/tty\0"u8;
        int tty;
        fixed (byte* p = path)
            tty = LibC.open(p, LibC.O_NOCTTY | LibC.O_NONBLOCK | LibC.O_RDONLY | LibC.O_CLOEXEC);
        if (tty < 0) return false;
        try
        {
            return Take(tty, ref columns, ref rows);
        }
        finally
        {
            LibC.close(tty);
        }
    }

    private static bool Take(int fd, ref int columns, ref int rows)
    {
        if (!Terminal.TryGetWinsize(fd, out var ws) || ws.ws_col == 0 || ws.ws_row == 0) return false;
        columns = ws.ws_col;
        rows = ws.ws_row;
        return true;
    }
}
