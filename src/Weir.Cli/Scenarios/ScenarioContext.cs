using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Weir.Core.Api;
using Weir.Core.Api.Kustomize;
using Weir.Core.Api.Source;
using Weir.Core.Objects;
using Weir.Oci.Artifacts;
using Weir.Oci.Auth;
using Weir.Oci.Distribution;
using Weir.Oci.Registry;
using Weir.Runtime.Kube;

namespace Weir.Cli.Scenarios;

/// <summary>
/// Where a scenario runs and the few operations it needs: push artifacts, create API objects, wait for the
/// controllers, ask for a reconcile, and start extra registries it owns (disposed with the context).
/// </summary>
public sealed class ScenarioContext(ResourceClient client, string registryHost) : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    public ResourceClient Client { get; } = client;

    /// <summary>The embedded registry (host:port).</summary>
    public string RegistryHost { get; } = registryHost;

    /// <summary>Namespace of the sources and Kustomizations.</summary>
    public string Namespace { get; init; } = "flux-system";

    /// <summary>Namespace the applied workloads land in (each Kustomization's targetNamespace).</summary>
    public string AppNamespace { get; init; } = "my-app";

    /// <summary>First path segment of every repository the scenario pushes to.</summary>
    public string RepositoryPrefix { get; init; } = "scenarios";

    /// <summary>The embedded API server's data directory (users and tokens live there).</summary>
    public string? ClusterDataDirectory { get; init; }

    /// <summary>How long a staged scenario waits for the controllers between its steps.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public TextWriter Log { get; init; } = TextWriter.Null;

    /// <summary>Files a user can be told about (e.g. a kubeconfig of a restricted user), by purpose.</summary>
    public Dictionary<string, string> Outputs { get; } = [];

    public string RepositoryUrl(string app, string? host = null) => $"oci://{host ?? RegistryHost}/{RepositoryPrefix}/{app}";

    /// <summary>Pushes <paramref name="files"/> as the artifact <c>app:tag</c>, the way <c>flux push artifact</c> does.</summary>
    public async Task<string> PushAsync(string app, string tag, IReadOnlyDictionary<string, string> files,
        string? host = null, RegistryCredentials? credentials = null, CancellationToken cancellationToken = default)
    {
        var directory = Directory.CreateTempSubdirectory("weir-scenario-");
        try
        {
            foreach (var (path, content) in files)
            {
                var full = Path.Combine(directory.FullName, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                await File.WriteAllTextAsync(full, content, cancellationToken);
            }

            var reference = OciReference.Parse($"{host ?? RegistryHost}/{RepositoryPrefix}/{app}:{tag}");
            var artifacts = new ArtifactClient(new RegistryClientOptions { Insecure = true, Credentials = credentials });
            var commit = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(app + tag)));
            var pushed = await artifacts.PushAsync(reference, directory.FullName,
                new ArtifactMetadata($"https://github.com/example/{app}", $"{tag}@sha1:{commit}"), ct: cancellationToken);
            Log.WriteLine($"  pushed oci://{reference} ({pushed.Digest})");
            return pushed.Digest;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    public async Task EnsureNamespaceAsync(string name, CancellationToken cancellationToken)
    {
        if (await Client.GetAsync(KubeResource.Namespace, new ObjectKey("", name), cancellationToken) is null)
        {
            await Client.CreateAsync(KubeResource.Namespace, new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject { ["name"] = name },
            }, cancellationToken);
        }
    }

    public async Task CreateAsync(OCIRepository repository, CancellationToken cancellationToken)
    {
        await Client.CreateAsync(KubeResource.OCIRepository, ApiObjects.Write(repository), cancellationToken);
        Log.WriteLine($"  created ocirepository/{repository.Metadata?.Name} in {Namespace}");
    }

    public async Task CreateAsync(Kustomization kustomization, CancellationToken cancellationToken)
    {
        await Client.CreateAsync(KubeResource.Kustomization, ApiObjects.Write(kustomization), cancellationToken);
        Log.WriteLine($"  created kustomization/{kustomization.Metadata?.Name} in {Namespace}");
    }

    public Task<JsonObject> CreateAsync(KubeResource resource, JsonObject obj, CancellationToken cancellationToken) =>
        Client.CreateAsync(resource, obj, cancellationToken);

    /// <summary>A JSON merge patch of an object's spec (or anything else), as <c>kubectl patch --type merge</c>.</summary>
    public Task<JsonObject> PatchAsync(KubeResource resource, string name, JsonObject patch, CancellationToken cancellationToken) =>
        Client.PatchAsync(resource, new ObjectKey(Namespace, name), patch, "merge", cancellationToken: cancellationToken);

    /// <summary>Sets <c>reconcile.fluxcd.io/requestedAt</c>, as <c>flux reconcile</c> does.</summary>
    public Task<JsonObject> RequestReconcileAsync(KubeResource resource, string name, CancellationToken cancellationToken) =>
        RequestReconcileAsync(resource, new ObjectKey(Namespace, name), cancellationToken);

    /// <summary>Sets <c>reconcile.fluxcd.io/requestedAt</c> on an object in any namespace.</summary>
    public Task<JsonObject> RequestReconcileAsync(KubeResource resource, ObjectKey key, CancellationToken cancellationToken) =>
        Client.PatchAsync(resource, key, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["annotations"] = new JsonObject
                {
                    ["reconcile.fluxcd.io/requestedAt"] = DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture),
                },
            },
        }, "merge", cancellationToken: cancellationToken);

    /// <summary>Polls the object until <paramref name="done"/> holds; throws a TimeoutException naming <paramref name="what"/>.</summary>
    public Task<JsonObject> WaitForAsync(KubeResource resource, string name, Func<JsonObject, bool> done, string what, CancellationToken cancellationToken) =>
        WaitForAsync(resource, new ObjectKey(Namespace, name), done, what, cancellationToken);

    /// <summary>Polls the object (in any namespace) until <paramref name="done"/> holds.</summary>
    public async Task<JsonObject> WaitForAsync(KubeResource resource, ObjectKey key, Func<JsonObject, bool> done, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + StepTimeout;
        while (true)
        {
            var obj = await Client.GetAsync(resource, key, cancellationToken);
            if (obj is not null && done(obj))
            {
                return obj;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"{resource.Kind} {key.Namespace}/{key.Name}: gave up waiting for {what} after {StepTimeout}");
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    /// <summary>Waits until the OCIRepository has stored an artifact for <paramref name="tag"/>.</summary>
    public Task<JsonObject> WaitForArtifactAsync(string name, string tag, CancellationToken cancellationToken) =>
        WaitForAsync(KubeResource.OCIRepository, name,
            o => (o["status"]?["artifact"]?["revision"]?.GetValue<string>() ?? "").StartsWith(tag + "@", StringComparison.Ordinal),
            $"an artifact for {tag}", cancellationToken);

    /// <summary>Waits until the Kustomization has applied <paramref name="tag"/>.</summary>
    public Task<JsonObject> WaitForAppliedAsync(string name, string tag, CancellationToken cancellationToken) =>
        WaitForAsync(KubeResource.Kustomization, name,
            o => (o["status"]?["lastAppliedRevision"]?.GetValue<string>() ?? "").StartsWith(tag + "@", StringComparison.Ordinal),
            $"revision {tag} to be applied", cancellationToken);

    /// <summary>Starts another registry on a free loopback port, owned by this context.</summary>
    public async Task<RegistryServer> StartRegistryAsync(RegistryCredentials? auth, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("weir-scenario-registry-");
        var server = await RegistryServer.StartAsync(new RegistryServerOptions
        {
            DataDirectory = directory.FullName,
            BindAddress = IPAddress.Loopback,
            BasicAuth = auth,
        }, cancellationToken);
        _owned.Add(new OwnedRegistry(server, directory));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }

        _owned.Clear();
    }

    private sealed class OwnedRegistry(RegistryServer server, DirectoryInfo directory) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await server.DisposeAsync();
            directory.Delete(recursive: true);
        }
    }
}
