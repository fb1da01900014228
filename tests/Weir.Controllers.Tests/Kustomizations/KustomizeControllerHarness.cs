using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Weir.Controllers.Kustomizations;
using Weir.Core.Objects;
using Weir.Oci.Artifacts;
using Weir.Oci.Distribution;
using Weir.Oci.Registry;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Sources.OciRepositories;
using Weir.Sources.Storage;
using Weir.Testing;

namespace Weir.Controllers.Tests.Kustomizations;

/// <summary>
/// The delivery chain as <c>weir up</c> runs it: an embedded API server, the embedded OCI registry, the artifact
/// store and server, and the OCIRepository and Kustomization controllers, all over HTTP with the real
/// KubernetesClient. Timings are shortened (requeue, polling, timeout floor) so failures show within seconds.
/// </summary>
public class KustomizeControllerHarness : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new();
    private readonly string _storage = Directory.CreateTempSubdirectory("weir-artifacts-").FullName;
    private readonly string _registryData = Directory.CreateTempSubdirectory("weir-registry-").FullName;
    private Task _running = Task.CompletedTask;
    private RegistryServer _registry = null!;
    private ArtifactServer _server = null!;

    public EmbeddedCluster Cluster { get; } = new();

    public ResourceClient Client => Cluster.Client;

    public string RegistryHost => _registry.Host;

    public string Kubeconfig => Cluster.Server.KubeconfigPath!;

    /// <summary>Unexpected reconcile exceptions (steps report expected failures as conditions instead).</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    public static KustomizationOptions Options { get; } = new()
    {
        RequeueDependency = TimeSpan.FromSeconds(1),
        HealthCheckInterval = TimeSpan.FromMilliseconds(300),
        StageWaitInterval = TimeSpan.FromMilliseconds(200),
        MinimumTimeout = TimeSpan.FromSeconds(1),
    };

    /// <summary>The Kustomization controller's settings; a derived fixture can change them.</summary>
    protected virtual KustomizationOptions ReconcilerOptions => Options;

    public async Task InitializeAsync()
    {
        await Cluster.InitializeAsync();
        _registry = await RegistryServer.StartAsync(new RegistryServerOptions { DataDirectory = _registryData });
        var store = new ArtifactStore(_storage);
        _server = await ArtifactServer.StartAsync(store);
        var manager = new ControllerManager(Client, new ControllerMetrics(),
            onError: (controller, key, error) => Errors.Enqueue($"{controller} {key}: {error}"));
        manager.Add(new ControllerRegistration(KubeResource.OCIRepository,
            new OCIRepositoryReconciler(Client, store, _server, new EventRecorder(Client, OCIRepositoryReconciler.ControllerName)), Workers: 2));
        var reconciler = new KustomizationReconciler(Client, new EventRecorder(Client, KustomizationReconciler.ControllerName), ReconcilerOptions);
        var informer = KustomizationController.Register(manager, reconciler, workers: 4);
        var configs = new ConfigWatch(Client, manager, informer);
        _running = Task.WhenAll(manager.RunAsync(_stop.Token), configs.RunAsync(_stop.Token));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(TimeSpan.FromSeconds(10));
        await _server.DisposeAsync();
        await _registry.DisposeAsync();
        await Cluster.DisposeAsync();
        Directory.Delete(_storage, recursive: true);
        Directory.Delete(_registryData, recursive: true);
    }

    /// <summary>Pushes the files as an artifact <c>repository:tag</c>; returns the manifest digest.</summary>
    public async Task<string> PushAsync(string repository, string tag, IReadOnlyDictionary<string, string> files)
    {
        var dir = Directory.CreateTempSubdirectory("weir-push-");
        try
        {
            foreach (var (path, content) in files)
            {
                var full = Path.Combine(dir.FullName, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                await File.WriteAllTextAsync(full, content);
            }

            var client = new ArtifactClient(new RegistryClientOptions { Insecure = true });
            var pushed = await client.PushAsync(OciReference.Parse($"{RegistryHost}/{repository}:{tag}"), dir.FullName,
                new ArtifactMetadata("https://example.com/app", $"{tag}@sha1:0123456789abcdef0123456789abcdef01234567"));
            return pushed.Digest;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

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

    /// <summary>Asks for an immediate reconcile, as `flux reconcile` does.</summary>
    public Task RequestReconcileAsync(KubeResource resource, string name) =>
        Client.PatchAsync(resource, new ObjectKey("flux-system", name), new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["annotations"] = new JsonObject { [Predicates.RequestedAtAnnotation] = DateTimeOffset.UtcNow.ToString("O") },
            },
        }, "merge");

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
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        JsonObject? obj = null;
        while (DateTime.UtcNow < deadline)
        {
            obj = await Client.GetAsync(KubeResource.Kustomization, key);
            var conditions = obj?["status"]?["conditions"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
            if (obj?["status"]?["lastHandledReconcileAt"]?.GetValue<string>() == token
                && conditions.Any(c => c["type"]?.GetValue<string>() == "Ready" && IsTrue(c))
                && conditions.All(c => c["type"]?.GetValue<string>() != "Reconciling"))
            {
                return obj!;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Kustomization {name}: reconcile request {token} never handled; last status: " +
            $"{obj?["status"]?.ToJsonString() ?? "none"}; errors: {string.Join("\n", Errors)}");
    }

    public Task<JsonObject> PatchSpecAsync(string name, JsonObject spec) =>
        Client.PatchAsync(KubeResource.Kustomization, new ObjectKey("flux-system", name), new JsonObject { ["spec"] = spec }, "merge");

    public async Task<JsonObject> GetAsync(string name) =>
        (await Client.GetAsync(KubeResource.Kustomization, new ObjectKey("flux-system", name)))!;

    /// <summary>Waits until the Kustomization's Ready condition satisfies <paramref name="condition"/>; returns that condition.</summary>
    public async Task<JsonObject> WaitForReadyAsync(string name, Func<JsonObject, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        JsonObject? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var obj = await Client.GetAsync(KubeResource.Kustomization, new ObjectKey("flux-system", name));
            last = Ready(obj);
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Kustomization {name}: Ready condition never matched; last: {last?.ToJsonString() ?? "none"}; errors: {string.Join("\n", Errors)}");
    }

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

    public static JsonObject? Ready(JsonObject? obj) =>
        obj?["status"]?["conditions"]?.AsArray().OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == "Ready");

    public static bool IsTrue(JsonObject condition) => condition["status"]!.GetValue<string>() == "True";

    public static bool IsFalse(JsonObject condition) => condition["status"]!.GetValue<string>() == "False";

    public static string Message(JsonObject condition) => condition["message"]!.GetValue<string>();
}
