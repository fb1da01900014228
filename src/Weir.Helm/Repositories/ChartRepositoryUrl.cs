namespace Weir.Helm.Repositories;

/// <summary>
/// A dependency's <c>repository</c> as source-controller keys repositories: an OCI URL without trailing slashes, any
/// other with exactly one; only <c>oci://</c>, <c>http://</c> and <c>https://</c> can be downloaded from — a
/// repository named by alias (<c>@name</c>, <c>alias:name</c>) needs Helm's local repository list, which a cluster has not.
/// </summary>
public static class ChartRepositoryUrl
{
    public static bool IsOci(string url) => url.StartsWith("oci://", StringComparison.Ordinal);

    public static string Normalize(string url) =>
        url.Length == 0 ? "" : IsOci(url) ? url.TrimEnd('/') : IsOpaque(url) ? url : url.TrimEnd('/') + "/";

    /// <summary>The normalized URL, or why it cannot be a dependency's repository (source-controller's messages).</summary>
    /// <exception cref="ChartRepositoryException">Not an OCI or HTTP(S) URL.</exception>
    public static string ForDependency(string repository)
    {
        var url = Normalize(repository);
        if (IsOci(url) || url.StartsWith("https://", StringComparison.Ordinal) || url.StartsWith("http://", StringComparison.Ordinal))
        {
            return url;
        }

        throw new ChartRepositoryException(url.StartsWith('@')
            ? $"aliased repository dependency is not supported: {url}"
            : $"invalid dependency repository URL: {url}");
    }

    // 'alias:name' parses as a scheme with opaque data, which keeps no path to end with '/'.
    private static bool IsOpaque(string url)
    {
        var colon = url.IndexOf(':');
        return colon > 0 && !url.AsSpan(colon).StartsWith("://") && !url[..colon].Contains('/');
    }
}
