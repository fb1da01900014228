using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Weir.Core.Objects;

namespace Weir.Runtime.Kube;

/// <summary>A kind the API server does not serve (yet): no CRD registers it, or the version is wrong.</summary>
public sealed class NoKindMatchException(GroupVersionKind gvk)
    : Exception($"no matches for kind \"{gvk.Kind}\" in version \"{gvk.ApiVersion}\"")
{
    public GroupVersionKind Gvk { get; } = gvk;
}

/// <summary>
/// Maps a group/version/kind to the REST resource that serves it (plural, scope) from the API server's discovery
/// documents, as client-go's RESTMapper does. A group/version is read once and read again when a kind is missing
/// from it, so kinds of CRDs applied a moment ago are found.
/// </summary>
public sealed class ResourceMapper(ResourceClient client)
{
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, KubeResource>> _groupVersions = new();

    public async Task<KubeResource> MapAsync(GroupVersionKind gvk, CancellationToken cancellationToken = default)
    {
        if (_groupVersions.TryGetValue(gvk.ApiVersion, out var known) && known.TryGetValue(gvk.Kind, out var hit))
        {
            return hit;
        }

        var fresh = await DiscoverAsync(gvk, cancellationToken);
        _groupVersions[gvk.ApiVersion] = fresh;
        return fresh.TryGetValue(gvk.Kind, out var found) ? found : throw new NoKindMatchException(gvk);
    }

    /// <summary>
    /// The resource a user names (kind, plural or short name, case-insensitively, as kubectl accepts them): within
    /// <paramref name="apiVersion"/> when given, else Weir's and the common built-in kinds from
    /// <see cref="KindRegistry"/>, else every group's preferred version the server lists. Null when none matches.
    /// </summary>
    public async Task<KubeResource?> ResolveAsync(string name, string? apiVersion = null, CancellationToken cancellationToken = default)
    {
        if (apiVersion is not null)
        {
            var gv = GroupVersionKind.From(apiVersion, "");
            return Match(await DiscoverAsync(gv, cancellationToken), name);
        }

        if (KindRegistry.Resolve(name) is { } known)
        {
            return known;
        }

        var groups = await client.GetPathAsync("/apis", cancellationToken);
        foreach (var group in (groups?["groups"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var preferred = group["preferredVersion"]?["groupVersion"]?.GetValue<string>() ?? "";
            if (preferred.Length > 0 && Match(await DiscoverAsync(GroupVersionKind.From(preferred, ""), cancellationToken), name) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    private static KubeResource? Match(IReadOnlyDictionary<string, KubeResource> resources, string name) =>
        resources.Values.FirstOrDefault(r => string.Equals(r.Kind, name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(r.Plural, name, StringComparison.OrdinalIgnoreCase));

    private async Task<IReadOnlyDictionary<string, KubeResource>> DiscoverAsync(GroupVersionKind gvk, CancellationToken cancellationToken)
    {
        var path = gvk.Group.Length == 0 ? $"/api/{gvk.Version}" : $"/apis/{gvk.Group}/{gvk.Version}";
        var list = await client.GetPathAsync(path, cancellationToken);
        var map = new Dictionary<string, KubeResource>();
        foreach (var r in (list?["resources"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = r["name"]?.GetValue<string>() ?? "";
            var kind = r["kind"]?.GetValue<string>() ?? "";
            if (name.Contains('/') || kind.Length == 0)
            {
                continue; // subresources
            }

            map[kind] = new KubeResource(gvk.Group, gvk.Version, name, kind, r["namespaced"]?.GetValue<bool>() ?? true);
        }

        return map;
    }
}
