namespace Procscope.Core.Parsing;

/// <summary>
/// Every parsed kernel file enters the same way: bytes in, typed record out. Fixtures, live
/// files and fuzzers all call <c>T.Parse</c>.
/// </summary>
public interface IProcFile<TSelf> where TSelf : IProcFile<TSelf>
{
    /// <summary>Parses the whole content of the file. Throws <see cref="ProcFormatException"/> on malformed input.</summary>
    static abstract TSelf Parse(ReadOnlySpan<byte> content);
}
