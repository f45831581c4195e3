using Procscope.Cli.Tests.Infrastructure;

namespace Procscope.Cli.Tests.Free;

/// <summary>
/// free on a fixed fake /proc root (--procfs): exact text, column for column.
/// Every expected text below is what procps-ng 4.0.2 printed for the same <see cref="SysFixture"/>
/// files bind-mounted over /proc (FixtureOracleTests re-checks that on machines that can).
/// </summary>
public sealed class FreeGoldenTests
{
    [Fact]
    public void Free_Default_MatchesProcps() => Golden.Assert([], """
                           total        used        free      shared  buff/cache   available
            Mem:        32628673     8282994    19123457      456789     2779010    24345679
            Swap:        2097148      100001     1997147
            """ + "\n");

    [Fact]
    public void Free_b_MatchesProcps() => Golden.Assert(["-b"], """
                           total        used        free      shared  buff/cache   available
            Mem:     33411761152  8481785856 19582419968   467751936  2845706240 24929975296
            Swap:     2147479552   102401024  2045078528
            """ + "\n");

    [Fact]
    public void Free_h_MatchesProcps() => Golden.Assert(["-h"], """
                           total        used        free      shared  buff/cache   available
            Mem:            31Gi       7.9Gi        18Gi       446Mi       2.7Gi        23Gi
            Swap:          2.0Gi        97Mi       1.9Gi
            """ + "\n");

    [Fact]
    public void Free_h_si_MatchesProcps() => Golden.Assert(["-h", "--si"], """
                           total        used        free      shared  buff/cache   available
            Mem:             33G        8.5G         19G        467M        2.8G         24G
            Swap:           2.1G        102M        2.0G
            """ + "\n");

    [Fact]
    public void Free_w_MatchesProcps() => Golden.Assert(["-w"], """
                           total        used        free      shared     buffers       cache   available
            Mem:        32628673     8282994    19123457      456789      234567     2544443    24345679
            Swap:        2097148      100001     1997147
            """ + "\n");

    [Fact]
    public void Free_t_MatchesProcps() => Golden.Assert(["-t"], """
                           total        used        free      shared  buff/cache   available
            Mem:        32628673     8282994    19123457      456789     2779010    24345679
            Swap:        2097148      100001     1997147
            Total:      34725821     8382995    21120604
            """ + "\n");

    [Fact]
    public void Free_l_MatchesProcps() => Golden.Assert(["-l"], """
                           total        used        free      shared  buff/cache   available
            Mem:        32628673     8282994    19123457      456789     2779010    24345679
            Low:        32628673    13505216    19123457
            High:              0           0           0
            Swap:        2097148      100001     1997147
            """ + "\n");

    [Fact]
    public void Free_v_MatchesProcps() => Golden.Assert(["-v"], """
                           total        used        free      shared  buff/cache   available
            Mem:        32628673     8282994    19123457      456789     2779010    24345679
            Swap:        2097148      100001     1997147
            Comm:       10254316    11287654    -1033338
            """ + "\n");

    [Fact]
    public void Free_m_t_l_v_w_MatchesProcps() => Golden.Assert(["-m", "-t", "-l", "-v", "-w"], """
                           total        used        free      shared     buffers       cache   available
            Mem:           31863        8088       18675         446         229        2484       23775
            Low:           31863       13188       18675
            High:              0           0           0
            Swap:           2047          97        1950
            Total:         33911        8186       20625
            Comm:          10013       11023       -1009
            """ + "\n");

    [Fact]
    public void Free_si_MatchesProcps() => Golden.Assert(["--si"], """
                           total        used        free      shared  buff/cache   available
            Mem:        33411761     8481785    19582419      467751     2845706    24929975
            Swap:        2147479      102401     2045078
            """ + "\n");

    [Fact]
    public void Free_kilo_MatchesProcps() => Golden.Assert(["--kilo"], """
                           total        used        free      shared  buff/cache   available
            Mem:        33411761     8481785    19582419      467751     2845706    24929975
            Swap:        2147479      102401     2045078
            """ + "\n");

    [Fact]
    public void Free_g_MatchesProcps() => Golden.Assert(["-g"], """
                           total        used        free      shared  buff/cache   available
            Mem:              31           7          18           0           2          23
            Swap:              1           0           1
            """ + "\n");

    [Fact]
    public void Free_tebi_MatchesProcps() => Golden.Assert(["--tebi"], """
                           total        used        free      shared  buff/cache   available
            Mem:               0           0           0           0           0           0
            Swap:              0           0           0
            """ + "\n");

    [Fact]
    public void Free_c_2_s_0_1_MatchesProcps() => Golden.Assert(["-c", "2", "-s", "0.1"], """
                           total        used        free      shared  buff/cache   available
            Mem:        32628673     8282994    19123457      456789     2779010    24345679
            Swap:        2097148      100001     1997147

                           total        used        free      shared  buff/cache   available
            Mem:        32628673     8282994    19123457      456789     2779010    24345679
            Swap:        2097148      100001     1997147
            """ + "\n");

    [Fact]
    public void Free_h_v_MatchesProcps() => Golden.Assert(["-h", "-v"], """
                           total        used        free      shared  buff/cache   available
            Mem:            31Gi       7.9Gi        18Gi       446Mi       2.7Gi        23Gi
            Swap:          2.0Gi        97Mi       1.9Gi
            Comm:          9.8Gi        10Gi         0Gi
            """ + "\n");

    private static class Golden
    {
        public static void Assert(string[] args, string expected)
        {
            using var fx = new SysFixture();
            var r = Run.Procscope(["free", .. args, "--procfs", fx.Root]);
            Xunit.Assert.Equal("", r.Stderr);
            Xunit.Assert.Equal(0, r.ExitCode);
            Xunit.Assert.Equal(expected, r.Stdout);
        }
    }
}
