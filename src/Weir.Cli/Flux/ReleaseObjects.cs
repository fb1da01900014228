using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Helm.Actions;
using Weir.Helm.Releases;
using Weir.Runtime.Apply;
using Weir.Runtime.Kube;

namespace Weir.Cli.Flux;

/// <summary>
/// The objects a HelmRelease's current Helm release owns, read as <c>helm get manifest</c> would: the newest release in
/// <c>status.history</c>, loaded from its storage namespace, its manifest's objects (namespaced ones in the release's
/// namespace). What <c>weir tree</c> and <c>weir status</c> show under a HelmRelease.
/// </summary>
public static class ReleaseObjects
{
    /// <summary>The release's objects, or none when the HelmRelease has not released yet or its record is gone.</summary>
    public static async Task<IReadOnlyList<ObjectRef>> ReadAsync(ResourceClient client, JsonObject helmRelease, CancellationToken cancellationToken)
    {
        if (helmRelease["status"]?["history"] is not JsonArray { Count: > 0 } history || history[0] is not JsonObject latest
            || latest["version"] is not JsonValue v || !v.TryGetValue<int>(out var version))
        {
            return [];
        }

        var storage = FluxKind.Str(helmRelease["status"]?["storageNamespace"]) is { Length: > 0 } s ? s
            : FluxKind.Str(helmRelease["spec"]?["storageNamespace"]) is { Length: > 0 } spec ? spec
            : helmRelease.Namespace();
        var cluster = new HelmCluster(client);
        try
        {
            var release = await cluster.Store(storage).GetAsync(FluxKind.Str(latest["name"]), version, cancellationToken);
            return [.. (await cluster.ReleaseObjectsAsync(release, cancellationToken)).Select(ObjectRef.Of)];
        }
        catch (ReleaseNotFoundException)
        {
            return [];
        }
    }
}
