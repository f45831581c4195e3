using Procscope.Core.LibraryCalls;

namespace Procscope.Core.Tests.LibraryCalls;

public sealed class FilterExpressionTests
{
    [Theory]
    [InlineData("malloc+free", "malloc", "libc.so.6", true)]
    [InlineData("malloc+free", "free", "libc.so.6", true)]
    [InlineData("malloc+free", "strlen", "libc.so.6", false)]
    [InlineData("!strlen", "strlen", "libc.so.6", false)]
    [InlineData("!strlen", "puts", "libc.so.6", true)]
    [InlineData("*@libc.so*", "puts", "libc.so.6", true)]
    [InlineData("*@libc.so*", "_ZNSolsEi", "libstdc++.so.6", false)]
    [InlineData("*@libc.so*-str*", "strlen", "libc.so.6", false)]
    [InlineData("*@libc.so*-str*", "memcpy", "libc.so.6", true)]
    [InlineData("@MAIN", "helper", "", true)]
    [InlineData("@MAIN", "puts", "libc.so.6", false)]
    [InlineData("mem?py", "memcpy", "libc.so.6", true)]
    public void Parse_Chain(string expr, string name, string lib, bool traced)
    {
        Assert.Equal(traced, FilterExpression.Parse([expr])(name, lib));
    }

    [Fact]
    public void Parse_None_TracesEverything_EmptyRuleFails()
    {
        Assert.True(FilterExpression.Parse([])("anything", "lib.so"));
        Assert.Throws<FormatException>(() => FilterExpression.Parse(["malloc++free"]));
    }

    [Fact]
    public void Parse_SeveralOptions_AppliedInOrder()
    {
        var f = FilterExpression.Parse(["malloc", "free"]);
        Assert.True(f("malloc", "libc.so.6"));
        Assert.True(f("free", "libc.so.6"));
        Assert.False(f("strlen", "libc.so.6"));
    }
}
