namespace Weir.Cluster.Http;

/// <summary>Content negotiation helpers: media types are compared on the part before ';'.</summary>
internal static class MediaTypes
{
    public const string Json = "application/json";
    public const string Table = "application/json;as=Table;v=v1;g=meta.k8s.io";

    public static string Base(string? contentType) =>
        string.IsNullOrEmpty(contentType) ? Json : contentType.Split(';')[0].Trim().ToLowerInvariant();

    /// <summary>True when the Accept header asks for a meta.k8s.io Table.</summary>
    public static bool WantsTable(string? accept) =>
        accept is not null && accept.Contains("as=Table", StringComparison.Ordinal) && accept.Contains("g=meta.k8s.io", StringComparison.Ordinal);

    /// <summary>The aggregated discovery version (v2 or v2beta1) the client lists first, if any.</summary>
    public static string? AggregatedDiscovery(string? accept)
    {
        if (accept is null)
        {
            return null;
        }
        foreach (var item in accept.Split(','))
        {
            var parts = item.Split(';').Select(p => p.Trim()).ToList();
            if (parts.Contains("as=APIGroupDiscoveryList") && parts.Contains("g=apidiscovery.k8s.io"))
            {
                if (parts.Contains("v=v2"))
                {
                    return "v2";
                }
                if (parts.Contains("v=v2beta1"))
                {
                    return "v2beta1";
                }
            }
        }
        return null;
    }
}
