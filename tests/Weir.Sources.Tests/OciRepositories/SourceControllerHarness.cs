using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Oci.Artifacts;
using Weir.Oci.Auth;
using Weir.Oci.Distribution;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Sources.GitRepositories;
using Weir.Sources.OciRepositories;
using Weir.Sources.Storage;
using Weir.Testing;

namespace Weir.Sources.Tests.OciRepositories;

/// <summary>
/// The source controller as `weir up` runs it: an embedded API server, the artifact store and server, and the
/// OCIRepository controller, all over HTTP with the real KubernetesClient.
/// </summary>
public sealed class SourceControllerHarness : IAsyncLifetime
{
    private readonly CancellationTokenSource _stop = new();
    private readonly string _storage = Directory.CreateTempSubdirectory("weir-artifacts-").FullName;
    private Task _running = Task.CompletedTask;

    public EmbeddedCluster Cluster { get; } = new();

    public ArtifactStore Store { get; private set; } = null!;

    public ArtifactServer Server { get; private set; } = null!;

    public ResourceClient Client => Cluster.Client;

    /// <summary>Unexpected reconcile exceptions (steps report expected failures as conditions instead).</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>Settings of the controller under test (a small size limit for the oversized-artifact case).</summary>
    public static OCIRepositoryOptions Options { get; } = new() { MaxArtifactSize = 2 * 1024 * 1024 };

    /// <summary>Settings of the GitRepository controller under test (a small checkout limit for the oversized case).</summary>
    public static GitRepositoryOptions GitOptions { get; } = new() { MaxCheckoutSize = 4 * 1024 * 1024 };

    public async Task InitializeAsync()
    {
        await Cluster.InitializeAsync();
        Store = new ArtifactStore(_storage);
        Server = await ArtifactServer.StartAsync(Store);
        var manager = new ControllerManager(Client, new ControllerMetrics(),
            onError: (controller, key, error) => Errors.Enqueue($"{controller} {key}: {error}"));
        var events = new EventRecorder(Client, OCIRepositoryReconciler.ControllerName);
        manager.Add(new ControllerRegistration(KubeResource.OCIRepository,
            new OCIRepositoryReconciler(Client, Store, Server, events, Options), Workers: 4));
        manager.Add(new ControllerRegistration(KubeResource.GitRepository,
            new GitRepositoryReconciler(Client, Store, Server, events, GitOptions), Workers: 4));
        _running = manager.RunAsync(_stop.Token);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(TimeSpan.FromSeconds(10));
        await Server.DisposeAsync();
        await Cluster.DisposeAsync();
        Directory.Delete(_storage, recursive: true);
    }

    public static async Task<ArtifactPushResult> PushAsync(string host, string repository, string tag, string content, RegistryCredentials? credentials = null)
    {
        var dir = Directory.CreateTempSubdirectory("weir-push-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, "deploy.yaml"), content);
            var client = new ArtifactClient(new RegistryClientOptions { Insecure = true, Credentials = credentials });
            return await client.PushAsync(OciReference.Parse($"{host}/{repository}:{tag}"), dir.FullName,
                new ArtifactMetadata("https://example.com/app", $"{tag}@sha1:0123456789abcdef0123456789abcdef01234567"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    public Task<JsonObject> CreateRepositoryAsync(string name, string url, JsonObject reference, string interval = "10m", JsonObject? extra = null)
    {
        var spec = new JsonObject { ["url"] = url, ["interval"] = interval, ["insecure"] = true, ["ref"] = reference };
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

    /// <summary>Asks for an immediate reconcile, as `flux reconcile source oci` does.</summary>
    public Task RequestReconcileAsync(string name, KubeResource? resource = null) =>
        Client.PatchAsync(resource ?? KubeResource.OCIRepository, new ObjectKey("flux-system", name), new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["annotations"] = new JsonObject { [Predicates.RequestedAtAnnotation] = DateTimeOffset.UtcNow.ToString("O") },
            },
        }, "merge");

    public Task<JsonObject> PatchSpecAsync(string name, JsonObject spec, KubeResource? resource = null) =>
        Client.PatchAsync(resource ?? KubeResource.OCIRepository, new ObjectKey("flux-system", name), new JsonObject { ["spec"] = spec }, "merge");

    /// <summary>Waits until the object's Ready condition satisfies <paramref name="condition"/>; returns that condition.</summary>
    public async Task<JsonObject> WaitForReadyAsync(string name, Func<JsonObject, bool> condition, TimeSpan? timeout = null, KubeResource? resource = null)
    {
        resource ??= KubeResource.OCIRepository;
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        JsonObject? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var obj = await Client.GetAsync(resource, new ObjectKey("flux-system", name));
            last = obj?["status"]?["conditions"]?.AsArray().OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == "Ready");
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{resource.Kind} {name}: Ready condition never matched; last: {last?.ToJsonString() ?? "none"}; errors: {string.Join("\n", Errors)}");
    }

    public async Task<JsonObject> GetAsync(string name, KubeResource? resource = null) =>
        (await Client.GetAsync(resource ?? KubeResource.OCIRepository, new ObjectKey("flux-system", name)))!;
}
