using System.Text.RegularExpressions;

namespace Weir.Core.Revisions;

/// <summary>
/// A source revision in Flux's format: <c>&lt;name&gt;@&lt;algo&gt;:&lt;hex&gt;</c> (<c>v2.1.0@sha256:…</c>,
/// <c>main@sha1:…</c>), a bare digest (<c>sha256:…</c>), or a plain name such as a chart version
/// (<c>6.5.3</c>). <see cref="Name"/> is empty for a bare digest; <see cref="Digest"/> is null for a plain name.
/// </summary>
public sealed partial record Revision(string Name, Digest? Digest)
{
    public static Revision ForTag(string tag, Digest digest) => new(tag, digest);

    public static Revision ForDigest(Digest digest) => new("", digest);

    public static Revision Plain(string name) => new(name, null);

    /// <summary>Parses any of the three forms; a string without a valid digest is a plain name.</summary>
    public static Revision Parse(string text)
    {
        var at = text.LastIndexOf('@');
        if (at >= 0 && Digest.TryParse(text[(at + 1)..], out var named))
        {
            return new Revision(text[..at], named);
        }

        return Digest.TryParse(text, out var bare) ? ForDigest(bare) : Plain(text);
    }

    public override string ToString() => Digest is null ? Name : Name.Length == 0 ? Digest.ToString() : $"{Name}@{Digest}";

    /// <summary>
    /// The form the flux CLI prints: every run of 40 to 128 hex characters cut to its first 8
    /// (<c>main@sha1:696f056d</c>).
    /// </summary>
    public static string ShortForDisplay(string revision) => LongHex().Replace(revision, m => m.Value[..8]);

    [GeneratedRegex("(?<![0-9a-fA-F])[0-9a-fA-F]{40,128}(?![0-9a-fA-F])")]
    private static partial Regex LongHex();
}

/// <summary>A content digest <c>&lt;algorithm&gt;:&lt;encoded&gt;</c> as OCI and Flux write it.</summary>
public sealed partial record Digest(string Algorithm, string Encoded)
{
    public static Digest Sha256(string hex) => new("sha256", hex);

    public static Digest Parse(string text) =>
        TryParse(text, out var digest) ? digest : throw new FormatException($"invalid digest '{text}': want <algorithm>:<hex>");

    public static bool TryParse(string? text, out Digest digest)
    {
        digest = null!;
        var m = text is null ? Match.Empty : Shape().Match(text);
        if (!m.Success)
        {
            return false;
        }

        var algorithm = m.Groups[1].Value;
        var encoded = m.Groups[2].Value;
        var expectedLength = algorithm switch { "sha1" => 40, "sha256" => 64, "sha384" => 96, "sha512" => 128, _ => -1 };
        if (expectedLength > 0 && (encoded.Length != expectedLength || !encoded.All(char.IsAsciiHexDigitLower)))
        {
            return false;
        }

        digest = new Digest(algorithm, encoded);
        return true;
    }

    public override string ToString() => $"{Algorithm}:{Encoded}";

    // The OCI digest grammar: algorithm components joined by [+._-], then hex-ish encoding.
    [GeneratedRegex("^([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$")]
    private static partial Regex Shape();
}
