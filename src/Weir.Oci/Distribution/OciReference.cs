using System.Text.RegularExpressions;

namespace Weir.Oci.Distribution;

/// <summary>A registry host, repository and optional tag or digest, parsed from <c>oci://host/repo:tag@digest</c>.</summary>
public sealed partial record OciReference(string Host, string Repository, string? Tag = null, string? Digest = null)
{
    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex RepositoryPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    /// <summary>The tag or digest a pull resolves: the digest when both are given.</summary>
    public string Reference => Digest ?? Tag ?? "latest";

    /// <summary>Parses <c>oci://host/repo[:tag][@sha256:…]</c> (the <c>oci://</c> prefix is optional).</summary>
    public static OciReference Parse(string text)
    {
        var rest = text.StartsWith("oci://", StringComparison.Ordinal) ? text["oci://".Length..] : text;
        var slash = rest.IndexOf('/');
        if (slash <= 0 || slash == rest.Length - 1)
        {
            throw new FormatException($"invalid OCI reference '{text}': expected oci://HOST/REPOSITORY[:TAG]");
        }
        var host = rest[..slash];
        var path = rest[(slash + 1)..];
        string? digest = null;
        var at = path.IndexOf('@');
        if (at >= 0)
        {
            digest = path[(at + 1)..];
            path = path[..at];
            OciDigest.Validate(digest);
        }
        string? tag = null;
        var colon = path.LastIndexOf(':');
        if (colon >= 0)
        {
            tag = path[(colon + 1)..];
            path = path[..colon];
            if (!TagPattern().IsMatch(tag))
            {
                throw new FormatException($"invalid OCI reference '{text}': invalid tag '{tag}'");
            }
        }
        if (!RepositoryPattern().IsMatch(path))
        {
            throw new FormatException($"invalid OCI reference '{text}': invalid repository name '{path}'");
        }
        return new OciReference(host, path, tag, digest);
    }

    /// <summary>True when <paramref name="tag"/> is a valid OCI tag.</summary>
    public static bool IsValidTag(string tag) => TagPattern().IsMatch(tag);

    /// <summary>This reference with another tag and no digest.</summary>
    public OciReference WithTag(string tag) => this with { Tag = tag, Digest = null };

    /// <summary>host/repository, without tag or digest.</summary>
    public string Name => $"{Host}/{Repository}";

    /// <inheritdoc />
    public override string ToString() =>
        Name + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);
}
