using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Oci.Registry;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Testing;

namespace Weir.Controllers.Tests.Kustomizations;

/// <summary>
/// The delivery chain as <c>weir up</c> runs it: the shared <see cref="ControllerStack"/> (embedded API server,
/// artifact store and server, every controller) plus the embedded OCI registry the sources pull from.
/// </summary>
public class KustomizeControllerHarness : ControllerStack
{
    private readonly string _registryData = TestEnv.TempDir("weir-registry-");
    private RegistryServer _registry = null!;

    public string RegistryHost => _registry.Host;

    public override async Task InitializeAsync()
    {
        _registry = await RegistryServer.StartAsync(new RegistryServerOptions { DataDirectory = _registryData });
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _registry.DisposeAsync();
        Directory.Delete(_registryData, recursive: true);
    }

    /// <summary>Pushes the files as an artifact <c>repository:tag</c>; returns the manifest digest.</summary>
    public async Task<string> PushAsync(string repository, string tag, IReadOnlyDictionary<string, string> files) =>
        (await TestArtifacts.PushAsync(RegistryHost, repository, tag, files)).Digest;

    /// <summary>Creates a namespace for one test's objects.</summary>
    public Task CreateNamespaceAsync(string name) =>
        Client.CreateAsync(new KubeResource("", "v1", "namespaces", "Namespace", Namespaced: false),
            new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } });

    /// <summary>Creates an OCIRepository in flux-system for <paramref name="repository"/>; <paramref name="extra"/> adds spec fields.</summary>
    public Task<JsonObject> CreateSourceAsync(string name, string repository, string semver = ">=0.0.0", JsonObject? extra = null)
    {
        var spec = new JsonObject
        {
            ["url"] = $"oci://{RegistryHost}/{repository}",
            ["interval"] = "10m",
            ["insecure"] = true,
            ["ref"] = new JsonObject { ["semver"] = semver },
        };
        foreach (var (k, v) in extra ?? [])
        {
            spec[k] = v?.DeepClone();
        }

        return Client.CreateAsync(KubeResource.OCIRepository, new JsonObject
        {
            ["apiVersion"] = "source.toolkit.fluxcd.io/v1",
            ["kind"] = "OCIRepository",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "flux-system" },
            ["spec"] = spec,
        });
    }

    /// <summary>Creates a Kustomization in flux-system from <paramref name="source"/>; <paramref name="extra"/> adds spec fields.</summary>
    public Task<JsonObject> CreateKustomizationAsync(string name, string source, JsonObject? extra = null)
    {
        var spec = new JsonObject
        {
            ["interval"] = "10m",
            ["sourceRef"] = new JsonObject { ["kind"] = "OCIRepository", ["name"] = source },
            ["path"] = "./",
            ["prune"] = true,
            ["timeout"] = "20s",
        };
        foreach (var (k, v) in extra ?? [])
        {
            spec[k] = v?.DeepClone();
        }

        return Client.CreateAsync(KubeResource.Kustomization, new JsonObject
        {
            ["apiVersion"] = "kustomize.toolkit.fluxcd.io/v1",
            ["kind"] = "Kustomization",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "flux-system" },
            ["spec"] = spec,
        });
    }

    /// <summary>
    /// Requests a reconcile of a Kustomization and waits until that very request was handled and ended Ready
    /// (<c>status.lastHandledReconcileAt</c> carries its token, Reconciling is gone) — other reconciles in between,
    /// from the source or a resync, cannot satisfy it. Returns the Kustomization as it was then.
    /// </summary>
    public async Task<JsonObject> ReconcileAndWaitAsync(string name, TimeSpan? timeout = null)
    {
        var token = $"{DateTimeOffset.UtcNow:O}-{Guid.NewGuid():N}";
        var key = new ObjectKey("flux-system", name);
        await Client.PatchAsync(KubeResource.Kustomization, key, new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [Predicates.RequestedAtAnnotation] = token } },
        }, "merge");
        return await StatusConditions.WaitForAsync(() => Client.GetAsync(KubeResource.Kustomization, key),
            o => o["status"]?["lastHandledReconcileAt"]?.GetValue<string>() == token
                && StatusConditions.Ready(o) is { } ready && StatusConditions.IsTrue(ready)
                && StatusConditions.Condition(o, "Reconciling") is null,
            $"Kustomization {name}: reconcile request {token} handled", timeout ?? TimeSpan.FromSeconds(60), () => "errors: " + string.Join("\n", Errors));
    }

    public Task<JsonObject> PatchSpecAsync(string name, JsonObject spec) =>
        Client.PatchAsync(KubeResource.Kustomization, new ObjectKey("flux-system", name), new JsonObject { ["spec"] = spec }, "merge");

    public async Task<JsonObject> GetAsync(string name) =>
        (await Client.GetAsync(KubeResource.Kustomization, new ObjectKey("flux-system", name)))!;

    /// <summary>Waits until the Kustomization's Ready condition satisfies <paramref name="condition"/>; returns that condition.</summary>
    public Task<JsonObject> WaitForReadyAsync(string name, Func<JsonObject, bool> condition, TimeSpan? timeout = null) =>
        WaitForReadyAsync(KubeResource.Kustomization, name, condition, timeout);

    /// <summary>Events recorded about a Kustomization, oldest first.</summary>
    public async Task<IReadOnlyList<JsonObject>> EventsAsync(string name)
    {
        var (items, _) = await Client.ListAsync(KubeResource.Event, "flux-system");
        return [.. items.Where(e => e["involvedObject"]?["name"]?.GetValue<string>() == name
                && e["involvedObject"]?["kind"]?.GetValue<string>() == "Kustomization")
            .OrderBy(e => e["firstTimestamp"]?.GetValue<string>())];
    }

    /// <summary>Binds <paramref name="clusterRole"/> in <paramref name="ns"/> to the ServiceAccount flux-system/<paramref name="serviceAccount"/>.</summary>
    public static Task<JsonObject> GrantAsync(ResourceClient client, string ns, string serviceAccount, string clusterRole) =>
        client.CreateAsync(new KubeResource("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding"), new JsonObject
        {
            ["apiVersion"] = "rbac.authorization.k8s.io/v1",
            ["kind"] = "RoleBinding",
            ["metadata"] = new JsonObject { ["name"] = serviceAccount, ["namespace"] = ns },
            ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = clusterRole },
            ["subjects"] = new JsonArray(new JsonObject { ["kind"] = "ServiceAccount", ["name"] = serviceAccount, ["namespace"] = "flux-system" }),
        });
}
