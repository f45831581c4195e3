namespace Procscope.Linux.Tests;

/// <summary>NSS lookups against the system's own database (getent uses the same NSS path).</summary>
public sealed class UserDatabaseTests
{
    [Fact]
    public void UserName_Root_IsRoot() => Assert.Equal("root", new UserDatabase().UserName(0));

    [Fact]
    public void UserName_EveryPasswdEntry_MatchesPasswdFile()
    {
        var db = new UserDatabase();
        foreach (var line in File.ReadAllLines("/etc/passwd"))
        {
            var f = line.Split(':');
            if (f.Length < 4 || !uint.TryParse(f[2], out uint uid)) continue;
            // The first entry for a uid wins in NSS files lookups.
            var first = File.ReadAllLines("/etc/passwd").Select(l => l.Split(':')).First(x => x.Length > 2 && x[2] == f[2]);
            Assert.Equal(first[0], db.UserName(uid));
        }
    }

    [Fact]
    public void GroupName_Root_IsRoot() => Assert.Equal("root", new UserDatabase().GroupName(0));

    [Fact]
    public void UserName_UnknownUid_IsNull() => Assert.Null(new UserDatabase().UserName(3_999_999_999));

    [Fact]
    public void TryGetUid_NameAndNumber_Resolve()
    {
        Assert.True(UserDatabase.TryGetUid("nobody", out uint n));
        Assert.Equal(65534u, n);
        Assert.True(UserDatabase.TryGetUid("1234", out uint m));
        Assert.Equal(1234u, m);
        Assert.False(UserDatabase.TryGetUid("no-such-user-xyz", out _));
    }

    [Fact]
    public void TryGetGid_NameResolves()
    {
        Assert.True(UserDatabase.TryGetGid("root", out uint g));
        Assert.Equal(0u, g);
    }
}
