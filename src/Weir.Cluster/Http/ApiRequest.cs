namespace Weir.Cluster.Http;

/// <summary>A resource URL split into its parts: /api/v1/... or /apis/{group}/{version}/...</summary>
public sealed record ApiRequest(string Group, string Version, string? Namespace, string Resource, string? Name, string? Subresource)
{
    /// <summary>Parses the segments after the group-version; null when they do not form a resource path.</summary>
    public static ApiRequest? Parse(string group, string version, string[] rest)
    {
        if (rest.Length == 0)
        {
            return null;
        }
        if (rest[0] == "namespaces" && rest.Length >= 3 && !(rest.Length == 3 && rest[2] is "status" or "finalize"))
        {
            return rest.Length switch
            {
                3 => new ApiRequest(group, version, rest[1], rest[2], null, null),
                4 => new ApiRequest(group, version, rest[1], rest[2], rest[3], null),
                5 => new ApiRequest(group, version, rest[1], rest[2], rest[3], rest[4]),
                _ => null,
            };
        }
        return rest.Length switch
        {
            1 => new ApiRequest(group, version, null, rest[0], null, null),
            2 => new ApiRequest(group, version, null, rest[0], rest[1], null),
            3 => new ApiRequest(group, version, null, rest[0], rest[1], rest[2]),
            _ => null,
        };
    }
}
