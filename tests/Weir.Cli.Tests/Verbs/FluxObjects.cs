using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Core.Time;
using Weir.Runtime.Kube;
using Weir.Testing;

namespace Weir.Cli.Tests.Verbs;

/// <summary>
/// Creates Flux objects in the embedded cluster and writes their status through the status subresource, the
/// way the controllers do (conditions with observedGeneration, artifact, lastAppliedRevision, inventory).
/// </summary>
public sealed class FluxObjects(EmbeddedCluster cluster)
{
    public static string Digest(char c) => "sha256:" + new string(c, 64);

    public ResourceClient Client => cluster.Client;

    public string Kubeconfig => cluster.Server.KubeconfigPath!;

    public async Task<string> NamespaceAsync(string name)
    {
        await Client.CreateAsync(KubeResource.Namespace, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } });
        return name;
    }

    public Task<JsonObject> OciRepositoryAsync(string ns, string name, string semver = ">=1.0.0", bool suspend = false, IDictionary<string, string>? labels = null) =>
        Client.CreateAsync(KubeResource.OCIRepository, Object("source.toolkit.fluxcd.io/v1", "OCIRepository", ns, name, labels, new JsonObject
        {
            ["url"] = "oci://registry.example/apps/" + name,
            ["interval"] = "1m",
            ["ref"] = new JsonObject { ["semver"] = semver },
            ["suspend"] = suspend,
        }));

    public Task<JsonObject> KustomizationAsync(string ns, string name, string source, string path = "./", bool suspend = false) =>
        Client.CreateAsync(KubeResource.Kustomization, Object("kustomize.toolkit.fluxcd.io/v1", "Kustomization", ns, name, null, new JsonObject
        {
            ["interval"] = "10m",
            ["path"] = path,
            ["prune"] = true,
            ["sourceRef"] = new JsonObject { ["kind"] = "OCIRepository", ["name"] = source },
            ["suspend"] = suspend,
        }));

    public Task<JsonObject> HelmReleaseAsync(string ns, string name, string source) =>
        Client.CreateAsync(KubeResource.HelmRelease, Object("helm.toolkit.fluxcd.io/v2", "HelmRelease", ns, name, null, new JsonObject
        {
            ["interval"] = "10m",
            ["chartRef"] = new JsonObject { ["kind"] = "OCIRepository", ["name"] = source },
        }));

    /// <summary>The status an OCIRepository reconciler writes after storing an artifact.</summary>
    public Task<JsonObject> SourceReadyAsync(string ns, string name, string tag, char digest, DateTimeOffset? at = null)
    {
        var revision = $"{tag}@{Digest(digest)}";
        return StatusAsync(KubeResource.OCIRepository, ns, name, new JsonObject
        {
            ["observedGeneration"] = 1,
            ["url"] = $"http://source-controller.flux-system.svc.cluster.local./ocirepository/{ns}/{name}/latest.tar.gz",
            ["artifact"] = new JsonObject
            {
                ["path"] = $"ocirepository/{ns}/{name}/{digest}.tar.gz",
                ["url"] = $"http://source-controller.flux-system.svc.cluster.local./ocirepository/{ns}/{name}/{digest}.tar.gz",
                ["revision"] = revision,
                ["digest"] = Digest(digest),
                ["lastUpdateTime"] = KubeTime.Format(at ?? DateTimeOffset.UtcNow),
                ["size"] = 1536,
            },
            ["conditions"] = new JsonArray(
                Condition("Ready", "True", "Succeeded", $"stored artifact for digest '{revision}'", at),
                Condition("ArtifactInStorage", "True", "Succeeded", $"stored artifact for digest '{revision}'", at)),
        });
    }

    public Task<JsonObject> SourceFailedAsync(string ns, string name, string message) =>
        StatusAsync(KubeResource.OCIRepository, ns, name, new JsonObject
        {
            ["observedGeneration"] = 1,
            ["conditions"] = new JsonArray(
                Condition("Ready", "False", "OCIArtifactPullFailed", message),
                Condition("FetchFailed", "True", "OCIArtifactPullFailed", message)),
        });

    /// <summary>The status the Kustomization reconciler writes after applying a revision.</summary>
    public Task<JsonObject> AppliedAsync(string ns, string name, string revision, JsonArray? inventory = null, DateTimeOffset? at = null) =>
        StatusAsync(KubeResource.Kustomization, ns, name, new JsonObject
        {
            ["observedGeneration"] = 1,
            ["lastAppliedRevision"] = revision,
            ["lastAttemptedRevision"] = revision,
            ["inventory"] = new JsonObject { ["entries"] = inventory ?? [] },
            ["conditions"] = new JsonArray(
                Condition("Ready", "True", "ReconciliationSucceeded", $"Applied revision: {revision}", at),
                Condition("Healthy", "True", "Succeeded", "Health check passed", at)),
        });

    public Task<JsonObject> BuildFailedAsync(string ns, string name, string lastApplied, string attempted, string message) =>
        StatusAsync(KubeResource.Kustomization, ns, name, new JsonObject
        {
            ["observedGeneration"] = 1,
            ["lastAppliedRevision"] = lastApplied,
            ["lastAttemptedRevision"] = attempted,
            ["conditions"] = new JsonArray(Condition("Ready", "False", "BuildFailed", message)),
        });

    public Task<JsonObject> InProgressAsync(KubeResource resource, string ns, string name) =>
        StatusAsync(resource, ns, name, new JsonObject
        {
            ["observedGeneration"] = 1,
            ["conditions"] = new JsonArray(
                Condition("Reconciling", "True", "Progressing", "Reconciliation in progress"),
                Condition("Ready", "Unknown", "Progressing", "Reconciliation in progress")),
        });

    public Task<JsonObject> ReleasedAsync(string ns, string name, string chartVersion) =>
        StatusAsync(KubeResource.HelmRelease, ns, name, new JsonObject
        {
            ["observedGeneration"] = 1,
            ["lastAttemptedRevision"] = chartVersion,
            ["history"] = new JsonArray(new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ns,
                ["chartName"] = name,
                ["chartVersion"] = chartVersion,
                ["appVersion"] = chartVersion,
                ["configDigest"] = FluxObjects.Digest('1'),
                ["digest"] = FluxObjects.Digest('2'),
                ["firstDeployed"] = KubeTime.Format(DateTimeOffset.UtcNow),
                ["lastDeployed"] = KubeTime.Format(DateTimeOffset.UtcNow),
                ["status"] = "deployed",
                ["version"] = 1,
            }),
            ["conditions"] = new JsonArray(Condition("Ready", "True", "UpgradeSucceeded", $"Helm upgrade succeeded for release {ns}/{name}.v1 with chart {name}@{chartVersion}")),
        });

    public async Task<JsonObject> StatusAsync(KubeResource resource, string ns, string name, JsonObject status)
    {
        var current = await Client.GetAsync(resource, new ObjectKey(ns, name)) ?? throw new InvalidOperationException($"{name} missing");
        status["observedGeneration"] = current.Generation();
        foreach (var c in (status["conditions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            c["observedGeneration"] = current.Generation();
        }

        return await Client.PatchAsync(resource, new ObjectKey(ns, name), new JsonObject { ["status"] = status }, "merge", status: true);
    }

    public static JsonObject Condition(string type, string status, string reason, string message, DateTimeOffset? at = null) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["observedGeneration"] = 1,
        ["lastTransitionTime"] = KubeTime.Format(at ?? DateTimeOffset.UtcNow),
        ["reason"] = reason,
        ["message"] = message,
    };

    private static JsonObject Object(string apiVersion, string kind, string ns, string name, IDictionary<string, string>? labels, JsonObject spec)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (labels is not null)
        {
            metadata["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value))));
        }

        return new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind, ["metadata"] = metadata, ["spec"] = spec };
    }
}
