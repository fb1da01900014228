using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Kube;

namespace Weir.Cli.Flux;

/// <summary>Reads Flux objects: lists by kind (one namespace or all), optionally one name, sorted as flux sorts.</summary>
public sealed class FluxQuery(ResourceClient client)
{
    public ResourceClient Client { get; } = client;

    /// <summary>Objects of a kind; null namespace means all namespaces; an uninstalled CRD yields an empty list.</summary>
    public async Task<List<JsonObject>> ListAsync(FluxKind kind, string? ns, string? labelSelector = null, string? name = null, CancellationToken cancellationToken = default)
    {
        List<JsonObject> items;
        try
        {
            (items, _) = await Client.ListAsync(kind.Resource, ns, labelSelector, cancellationToken);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return [];
        }

        return [.. items
            .Where(o => name is null || o.Name() == name)
            .OrderBy(o => o.Namespace(), StringComparer.Ordinal)
            .ThenBy(o => o.Name(), StringComparer.Ordinal)];
    }

    public async Task<JsonObject> GetAsync(FluxKind kind, ObjectKey key, CancellationToken cancellationToken = default) =>
        await Client.GetAsync(kind.Resource, key, cancellationToken)
        ?? throw new CliException($"{kind.Kind} object '{key.Name}' not found in \"{key.Namespace}\" namespace");
}
