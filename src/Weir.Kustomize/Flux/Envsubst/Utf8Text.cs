using System.Text;

namespace Weir.Kustomize.Flux.Envsubst;

/// <summary>
/// Go's view of strings as UTF-8 bytes: envsubst counts, slices and compares bytes, and decodes runes where Go does
/// (an invalid sequence is one byte of <see cref="Rune.ReplacementChar"/>).
/// </summary>
internal static class Utf8Text
{
    public static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    public static string String(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    public static (int Rune, int Width) Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return (Rune.ReplacementChar.Value, 0);
        }

        return Rune.DecodeFromUtf8(bytes, out var rune, out var width) == System.Buffers.OperationStatus.Done
            ? (rune.Value, width)
            : (Rune.ReplacementChar.Value, 1);
    }

    public static byte[] Encode(int rune)
    {
        var buffer = new byte[4];
        var n = new Rune(rune).EncodeToUtf8(buffer);
        return buffer[..n];
    }

    /// <summary>The runes of <paramref name="bytes"/> (invalid bytes as replacement characters), as Go's <c>[]rune(s)</c>.</summary>
    public static List<int> Runes(ReadOnlySpan<byte> bytes)
    {
        var runes = new List<int>();
        while (!bytes.IsEmpty)
        {
            var (rune, width) = Decode(bytes);
            runes.Add(rune);
            bytes = bytes[width..];
        }

        return runes;
    }

    public static byte[] FromRunes(IEnumerable<int> runes)
    {
        var result = new List<byte>();
        foreach (var r in runes)
        {
            result.AddRange(Encode(r));
        }

        return [.. result];
    }
}
