using System.Text.Json.Nodes;
using Weir.Core.Api;
using Weir.Core.Api.Source;
using Weir.Core.Api.SourceExtensions;
using Weir.Core.Conditions;
using Weir.Core.Objects;
using Weir.Core.Time;
using Weir.Runtime.Kube;
using Weir.Sources.Storage;

namespace Weir.Sources.ArtifactGenerators;

/// <summary>
/// The ExternalArtifact objects a generator owns: applied with <c>spec.sourceRef</c> naming the generator, labelled
/// with its UID (<c>source.extensions.fluxcd.io/generator</c>) and <c>app.kubernetes.io/managed-by</c>, their status
/// carrying the artifact and <c>Ready=True</c>; deleted, with their stored artifacts, when no longer generated.
/// </summary>
public sealed class GeneratedArtifacts(ResourceClient client, ArtifactStore store, string fieldManager)
{
    public const string GeneratorLabel = "source.extensions.fluxcd.io/generator";
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    private static KubeResource Resource => KubeResource.ExternalArtifact;

    /// <summary>Creates or updates one ExternalArtifact; its status is written only when the artifact changed.</summary>
    public async Task ApplyAsync(JsonObject generator, string name, JsonObject artifact, IReadOnlyDictionary<string, string> labels,
        CancellationToken cancellationToken)
    {
        var ns = generator.Namespace();
        var spec = ApiObjects.Read<ArtifactGenerator>(generator).Spec;
        var allLabels = new Dictionary<string, string>(spec?.CommonMetadata?.Labels ?? new Dictionary<string, string>());
        foreach (var (key, value) in labels)
        {
            allLabels[key] = value;
        }

        allLabels[ManagedByLabel] = fieldManager;
        allLabels[GeneratorLabel] = generator.Metadata()?["uid"]?.GetValue<string>() ?? "";
        var metadata = new JsonObject
        {
            ["name"] = name,
            ["namespace"] = ns,
            ["labels"] = Map(allLabels),
        };
        if (spec?.CommonMetadata?.Annotations is { Count: > 0 } annotations)
        {
            metadata["annotations"] = Map(annotations);
        }

        var applied = await client.ApplyAsync(Resource, new JsonObject
        {
            ["apiVersion"] = Resource.ApiVersion,
            ["kind"] = ExternalArtifact.KindName,
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["sourceRef"] = new JsonObject
                {
                    ["apiVersion"] = SourceExtensionsApi.ApiVersion,
                    ["kind"] = ArtifactGenerator.KindName,
                    ["name"] = generator.Name(),
                    ["namespace"] = ns,
                },
            },
        }, fieldManager, force: true, cancellationToken: cancellationToken);

        var current = applied["status"]?["artifact"];
        var ready = (applied["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
            .Any(c => c["type"]?.GetValue<string>() == ConditionTypes.Ready && c["status"]?.GetValue<string>() == ConditionStatus.True);
        if (ready && SameArtifact(current, artifact))
        {
            return;
        }

        await client.PatchAsync(Resource, new ObjectKey(ns, name), new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["artifact"] = artifact.DeepClone(),
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = ConditionTypes.Ready,
                    ["status"] = ConditionStatus.True,
                    ["observedGeneration"] = applied.Generation(),
                    ["lastTransitionTime"] = KubeTime.Format(store.Clock.GetUtcNow()),
                    ["reason"] = ConditionReasons.Succeeded,
                    ["message"] = "Artifact is ready",
                }),
            },
        }, "merge", status: true, cancellationToken: cancellationToken);
    }

    /// <summary>The ExternalArtifacts in the cluster labelled with the generator's UID.</summary>
    public async Task<IReadOnlyList<JsonObject>> ListAsync(JsonObject generator, CancellationToken cancellationToken)
    {
        var uid = generator.Metadata()?["uid"]?.GetValue<string>() ?? "";
        var (items, _) = await client.ListAsync(Resource, generator.Namespace(), $"{GeneratorLabel}={uid}", cancellationToken);
        return items;
    }

    /// <summary>Deletes an ExternalArtifact and everything stored for it.</summary>
    public async Task DeleteAsync(string ns, string name, CancellationToken cancellationToken)
    {
        store.DeleteObject(ExternalArtifact.KindName, ns, name);
        await client.DeleteAsync(Resource, new ObjectKey(ns, name), cancellationToken);
    }

    // Same content at the same address: revision, digest, URL and metadata (lastUpdateTime aside).
    private static bool SameArtifact(JsonNode? current, JsonObject artifact) =>
        current is JsonObject existing
        && new[] { "revision", "digest", "url", "path" }.All(f => existing[f]?.GetValue<string>() == artifact[f]?.GetValue<string>())
        && JsonNode.DeepEquals(existing["metadata"], artifact["metadata"]);

    private static JsonObject Map(IEnumerable<KeyValuePair<string, string>> values) =>
        new(values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value)));
}
