using Procscope.Cli.Infrastructure;

namespace Procscope.Cli.Tests.Infrastructure;

/// <summary>locale(7) precedence: LC_ALL, then LC_CTYPE, then LANG.</summary>
public sealed class LocaleTests
{
    private static bool Utf8(string? all, string? ctype, string? lang) =>
        SystemConsole.LocaleIsUtf8(n => n switch { "LC_ALL" => all, "LC_CTYPE" => ctype, "LANG" => lang, _ => null });

    [Fact] public void Unset_IsNotUtf8() => Assert.False(Utf8(null, null, null));
    [Fact] public void Lang_CUtf8_IsUtf8() => Assert.True(Utf8(null, null, "C.UTF-8"));
    [Fact] public void Lang_utf8Spelling_IsUtf8() => Assert.True(Utf8(null, null, "en_US.utf8"));
    [Fact] public void LcAllC_OverridesUtf8Lang() => Assert.False(Utf8("C", null, "en_US.UTF-8"));
    [Fact] public void LcCtype_OverridesLang() => Assert.True(Utf8(null, "C.UTF-8", "C"));
    [Fact] public void EmptyLcAll_IsIgnored() => Assert.True(Utf8("", null, "C.UTF-8"));
}
