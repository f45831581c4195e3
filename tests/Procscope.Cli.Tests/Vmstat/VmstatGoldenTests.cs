using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Vmstat;

/// <summary>
/// vmstat on a fixed fake /proc root (--procfs): exact text. With a delay the files do not change, so later lines are all-zero deltas with id 100.
/// Every expected text below is what procps-ng 4.0.2 printed for the same <see cref="SysFixture"/>
/// files bind-mounted over /proc (FixtureOracleTests re-checks that on machines that can).
/// </summary>
public sealed class VmstatGoldenTests
{
    [Fact]
    public void Vmstat_Default_MatchesProcps() => Golden.Assert([], """
            procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----
             r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st
             3  1 100001 19123456 234567 2544443    0    0    34    23  344  983  1  0 98  0  0
            """ + "\n");

    [Fact]
    public void Vmstat_w_MatchesProcps() => Golden.Assert(["-w"], """
            --procs-- -----------------------memory---------------------- ---swap-- -----io---- -system-- ----------cpu----------
               r    b         swpd         free         buff        cache   si   so    bi    bo   in   cs  us  sy  id  wa  st  gu
               3    1       100001     19123456       234567      2544443    0    0    34    23  344  983   1   0  98   0   0   0
            """ + "\n");

    [Fact]
    public void Vmstat_a_MatchesProcps() => Golden.Assert(["-a"], """
            procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----
             r  b   swpd   free  inact active   si   so    bi    bo   in   cs us sy id wa st
             3  1 100001 19123456 2109876 3456789    0    0    34    23  344  983  1  0 98  0  0
            """ + "\n");

    [Fact]
    public void Vmstat_S_m_MatchesProcps() => Golden.Assert(["-S", "m"], """
            procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----
             r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st
             3  1    102  19582    240   2605    0    0    34    23  344  983  1  0 98  0  0
            """ + "\n");

    [Fact]
    public void Vmstat_S_M_a_w_MatchesProcps() => Golden.Assert(["-S", "M", "-a", "-w"], """
            --procs-- -----------------------memory---------------------- ---swap-- -----io---- -system-- ----------cpu----------
               r    b         swpd         free        inact       active   si   so    bi    bo   in   cs  us  sy  id  wa  st  gu
               3    1           97        18675         2060         3375    0    0    34    23  344  983   1   0  98   0   0   0
            """ + "\n");

    [Fact]
    public void Vmstat_S_k_MatchesProcps() => Golden.Assert(["-S", "k"], """
            procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----
             r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st
             3  1 102401 19582418 240196 2605509    0    0    34    23  344  983  1  0 98  0  0
            """ + "\n");

    [Fact]
    public void Vmstat_S_b_MatchesProcps() => Golden.Assert(["-S", "b"], """
            procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----
             r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st
             3  1 102401024 19582418944 240196608 2605509632   50  231    34    23  344  983  1  0 98  0  0
            """ + "\n");

    [Fact]
    public void Vmstat_s_MatchesProcps() => Golden.Assert(["-s"], """
                 32628672 K total memory
                  8282994 K used memory
                  3456789 K active memory
                  2109876 K inactive memory
                 19123456 K free memory
                   234567 K buffer memory
                  2544443 K swap cache
                  2097148 K total swap
                   100001 K used swap
                  1997147 K free swap
                   123456 non-nice user cpu ticks
                      789 nice user cpu ticks
                    45678 system cpu ticks
                  9876543 idle cpu ticks
                     2345 IO-wait cpu ticks
                        0 IRQ cpu ticks
                     1234 softirq cpu ticks
                      567 stolen cpu ticks
                        0 non-nice guest cpu ticks
                        0 nice guest cpu ticks
                  3456789 K paged in
                  2345678 K paged out
                     1234 pages swapped in
                     5678 pages swapped out
                 34567890 interrupts
                 98765432 CPU context switches
               1764000000 boot time
                   123456 forks
            """ + "\n");

    [Fact]
    public void Vmstat_s_S_M_MatchesProcps() => Golden.Assert(["-s", "-S", "M"], """
                    31863 M total memory
                     8088 M used memory
                     3375 M active memory
                     2060 M inactive memory
                    18675 M free memory
                      229 M buffer memory
                     2484 M swap cache
                     2047 M total swap
                       97 M used swap
                     1950 M free swap
                   123456 non-nice user cpu ticks
                      789 nice user cpu ticks
                    45678 system cpu ticks
                  9876543 idle cpu ticks
                     2345 IO-wait cpu ticks
                        0 IRQ cpu ticks
                     1234 softirq cpu ticks
                      567 stolen cpu ticks
                        0 non-nice guest cpu ticks
                        0 nice guest cpu ticks
                  3456789 K paged in
                  2345678 K paged out
                     1234 pages swapped in
                     5678 pages swapped out
                 34567890 interrupts
                 98765432 CPU context switches
               1764000000 boot time
                   123456 forks
            """ + "\n");

    [Fact]
    public void Vmstat_f_MatchesProcps() => Golden.Assert(["-f"], """
                   123456 forks
            """ + "\n");

    [Fact]
    public void Vmstat_d_MatchesProcps() => Golden.Assert(["-d"], """
            disk- ------------reads------------ ------------writes----------- -----IO------
                   total merged sectors      ms  total merged sectors      ms    cur    sec
            loop0     52      0    2142      17      0      0       0       0      0      0
            nvme0n1 834567  12345 45678901  234567 456789  98765 34567890  345678      0    456
            sda     5678    123  456789   12345   2345    678  987654   23456      0     34
            """ + "\n");

    [Fact]
    public void Vmstat_d_w_MatchesProcps() => Golden.Assert(["-d", "-w"], """
            disk- -------------------reads------------------- -------------------writes------------------ ------IO-------
                      total    merged     sectors          ms     total    merged     sectors          ms     cur     sec
            loop0        52         0        2142          17         0         0           0           0       0       0
            nvme0n1    834567     12345    45678901      234567    456789     98765    34567890      345678       0     456
            sda        5678       123      456789       12345      2345       678      987654       23456       0      34
            """ + "\n");

    [Fact]
    public void Vmstat_D_MatchesProcps() => Golden.Assert(["-D"], """
                        3 disks
                        3 partitions
                   840297 total reads
                    12468 merged reads
                 46137832 read sectors
                   246929 milli reading
                   459134 writes
                    99443 merged writes
                 35555544 written sectors
                   369134 milli writing
                        0 inprogress IO
                      490 milli spent IO
                      723 milli weighted IO
            """ + "\n");

    [Fact]
    public void Vmstat_p_sda1_MatchesProcps() => Golden.Assert(["-p", "sda1"], """
            sda1            reads      read sectors      writes  requested writes
                             5600            456000        2345            987654
            """ + "\n");

    [Fact]
    public void Vmstat_p_dev_nvme0n1_MatchesProcps() => Golden.Assert(["-p", "/dev/nvme0n1"], """
            nvme0n1         reads      read sectors      writes  requested writes
                           834567          45678901      456789          34567890
            """ + "\n");

    [Fact]
    public void Vmstat_m_MatchesProcps() => Golden.Assert(["-m"], """
            Cache                       Num  Total   Size  Pages
            AF_VSOCK                     24     24   1280     12
            Acpi-State                  102    102     80     51
            a_very_long_slab_cache_n      7      8    512      8
            dentry                    45678  46000    192     21
            kmalloc-64                 5120   5120     64     64
            """ + "\n");

    [Fact]
    public void Vmstat_n_m_MatchesProcps() => Golden.Assert(["-n", "-m"], """
            Cache                       Num  Total   Size  Pages
            AF_VSOCK                     24     24   1280     12
            Acpi-State                  102    102     80     51
            a_very_long_slab_cache_n      7      8    512      8
            dentry                    45678  46000    192     21
            kmalloc-64                 5120   5120     64     64
            """ + "\n");

    [Fact]
    public void Vmstat_1_2_MatchesProcps() => Golden.Assert(["1", "2"], """
            procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----
             r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st
             3  1 100001 19123456 234567 2544443    0    0    34    23  344  983  1  0 98  0  0
             3  1 100001 19123456 234567 2544443    0    0     0     0    0    0  0  0 100  0  0
            """ + "\n");

    [Fact]
    public void Vmstat_w_a_1_2_MatchesProcps() => Golden.Assert(["-w", "-a", "1", "2"], """
            --procs-- -----------------------memory---------------------- ---swap-- -----io---- -system-- ----------cpu----------
               r    b         swpd         free        inact       active   si   so    bi    bo   in   cs  us  sy  id  wa  st  gu
               3    1       100001     19123456      2109876      3456789    0    0    34    23  344  983   1   0  98   0   0   0
               3    1       100001     19123456      2109876      3456789    0    0     0     0    0    0   0   0 100   0   0   0
            """ + "\n");

    [Fact]
    public void Vmstat_y_1_1_MatchesProcps() => Golden.Assert(["-y", "1", "1"], """
            procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----
             r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st
             3  1 100001 19123456 234567 2544443    0    0     0     0    0    0  0  0 100  0  0
            """ + "\n");

    private static class Golden
    {
        public static void Assert(string[] args, string expected)
        {
            using var fx = new SysFixture();
            var r = Run.Procscope(["vmstat", .. args, "--procfs", fx.Root]);
            Xunit.Assert.Equal("", r.Stderr);
            Xunit.Assert.Equal(0, r.ExitCode);
            Xunit.Assert.Equal(expected, r.Stdout);
        }
    }
}
