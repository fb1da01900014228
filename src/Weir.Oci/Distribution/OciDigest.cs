using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Weir.Oci.Distribution;

/// <summary>Content digests in the <c>sha256:&lt;hex&gt;</c> form the distribution spec uses.</summary>
public static partial class OciDigest
{
    [GeneratedRegex(@"^sha256:[a-f0-9]{64}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256();

    /// <summary>True when <paramref name="digest"/> is a well-formed sha256 digest.</summary>
    public static bool IsValid(string digest) => Sha256().IsMatch(digest);

    /// <summary>Throws <see cref="FormatException"/> unless <paramref name="digest"/> is a sha256 digest.</summary>
    public static void Validate(string digest)
    {
        if (!IsValid(digest))
        {
            throw new FormatException($"invalid digest '{digest}': expected sha256:<64 hex digits>");
        }
    }

    /// <summary>The digest of <paramref name="data"/>.</summary>
    public static string Of(ReadOnlySpan<byte> data) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(data));

    /// <summary>The digest of a stream's remaining content.</summary>
    public static async Task<string> OfAsync(Stream stream, CancellationToken ct = default) =>
        "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));

    /// <summary>The hex part of a digest.</summary>
    public static string Hex(string digest) => digest[(digest.IndexOf(':') + 1)..];

    /// <summary>A digest from a finished incremental hash.</summary>
    public static string From(IncrementalHash hash) => "sha256:" + Convert.ToHexStringLower(hash.GetHashAndReset());
}
