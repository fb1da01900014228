using System.Net;
using System.Text.Json.Nodes;
using k8s;
using Weir.Cluster;
using Weir.Core.Api.Crds;
using Weir.Core.Objects;
using Weir.Oci.Artifacts;
using Weir.Oci.Distribution;
using Weir.Oci.Registry;
using Weir.Runtime.Apply;
using Weir.Runtime.Kube;

namespace Weir.Hosting;

/// <summary>Settings of <c>weir up</c>.</summary>
public sealed record EmbeddedStackOptions
{
    public required string DataDir { get; init; }

    public int ApiPort { get; init; } = 6443;

    public int RegistryPort { get; init; } = 5050;

    public bool Demo { get; init; }

    public TextWriter Output { get; init; } = Console.Out;

    /// <summary>Runs once the stack is up and its banner printed (e.g. a scenario's set-up), until shutdown.</summary>
    public Func<EmbeddedStackParts, CancellationToken, Task>? AfterStart { get; init; }
}

/// <summary>The running parts of the stack a <see cref="EmbeddedStackOptions.AfterStart"/> hook works with.</summary>
public sealed record EmbeddedStackParts(ResourceClient Client, string RegistryHost, string KubeconfigPath, string ClusterDataDir);

/// <summary>
/// Everything <c>weir up</c> runs in one process: the embedded API server, the OCI registry, and the controllers
/// (with their artifact server), after installing Weir's CRDs and the <c>flux-system</c> namespace.
/// </summary>
public sealed class EmbeddedStack(EmbeddedStackOptions options)
{
    /// <summary>The field manager of what <c>weir up</c> installs.</summary>
    private const string FieldManager = "weir";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var dataDir = Path.GetFullPath(options.DataDir);
        Directory.CreateDirectory(dataDir);
        await using var cluster = await ClusterServer.StartAsync(new ClusterOptions { DataDir = Path.Combine(dataDir, "cluster"), Port = options.ApiPort }, cancellationToken);
        var kubeconfig = Path.Combine(dataDir, "kubeconfig");
        File.Copy(cluster.KubeconfigPath!, kubeconfig, overwrite: true);
        await using var registry = await RegistryServer.StartAsync(new RegistryServerOptions
        {
            DataDirectory = Path.Combine(dataDir, "registry"),
            BindAddress = IPAddress.Loopback,
            Port = options.RegistryPort,
        }, cancellationToken);

        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
        var client = new ResourceClient(new Kubernetes(config));
        await InstallAsync(client, cancellationToken);

        var host = new ControllerHost(new ControllerHostOptions
        {
            Kubernetes = config,
            StoragePath = Path.Combine(dataDir, "artifacts"),
            StoragePortFile = Path.Combine(dataDir, "artifact-server.port"),
            // The Lease is how `weir check` (and anyone with kubectl) sees the controllers running. One stable
            // identity per machine, so a restarted `weir up` takes its own Lease back at once instead of waiting
            // for the previous process's Lease to expire.
            LeaderElection = true,
            Identity = $"weir-up_{Environment.MachineName}",
            LogOutput = TextWriter.Synchronized(new StreamWriter(Path.Combine(dataDir, "controllers.log"), append: true)),
        });
        var controllers = host.RunAsync(cancellationToken);

        if (options.Demo)
        {
            await DemoAsync(client, registry.Host, cancellationToken);
            await new DemoChart(client, registry.Host, options.Output).RunAsync(cancellationToken);
        }

        var output = options.Output;
        output.WriteLine($"Kubernetes API server: {cluster.Address.ToString().TrimEnd('/')}");
        output.WriteLine($"OCI registry:          {registry.Host}");
        output.WriteLine($"Controller logs:       {Path.Combine(dataDir, "controllers.log")}");
        output.WriteLine();
        output.WriteLine("Point kubectl at it:");
        output.WriteLine($"  export KUBECONFIG={kubeconfig}");
        output.WriteLine("  kubectl get ocirepository,kustomization -n flux-system");
        if (options.Demo)
        {
            output.WriteLine("  kubectl get helmrelease -A");
        }
        output.WriteLine();
        output.WriteLine("Ctrl-C stops Weir; state stays in " + dataDir);
        output.Flush();

        var afterStart = options.AfterStart?.Invoke(new EmbeddedStackParts(client, registry.Host, kubeconfig, Path.Combine(dataDir, "cluster")), cancellationToken)
            ?? Task.CompletedTask;
        try
        {
            await controllers;
            await afterStart;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Installs or updates the CRDs and creates <c>flux-system</c>, through the server-side applier (CRDs first, then established).</summary>
    private static async Task InstallAsync(ResourceClient client, CancellationToken cancellationToken)
    {
        var objects = new List<JsonObject>(CrdCatalog.All())
        {
            new()
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Namespace",
                ["metadata"] = new JsonObject { ["name"] = "flux-system" },
            },
        };
        var applier = new ServerSideApplier(client, new ResourceMapper(client), FieldManager);
        await applier.ApplyAllStagedAsync(objects, new ApplyOptions(), cancellationToken);
    }

    /// <summary>Pushes a sample app as v1.0.0 and creates the OCIRepository that tracks it and the Kustomization that applies it (the Helm half is <see cref="DemoChart"/>).</summary>
    private async Task DemoAsync(ResourceClient client, string registryHost, CancellationToken cancellationToken)
    {
        var reference = OciReference.Parse($"{registryHost}/demo/my-app:v1.0.0");
        using (var registryClient = new RegistryClient(registryHost, new RegistryClientOptions { Insecure = true }))
        {
            try
            {
                await registryClient.HeadManifestAsync(reference.Repository, reference.Reference, cancellationToken);
                options.Output.WriteLine($"Demo: oci://{reference} is already published");
                await CreateDemoRepositoryAsync(client, registryHost, cancellationToken);
                return;
            }
            catch (RegistryException e) when (e.Kind == RegistryErrorKind.NotFound)
            {
                // First run: publish it below.
            }
        }

        var source = Directory.CreateTempSubdirectory("weir-demo-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(source.FullName, "deployment.yaml"), DemoApp.Manifests, cancellationToken);
            var artifacts = new ArtifactClient(new RegistryClientOptions { Insecure = true });
            var pushed = await artifacts.PushAsync(reference, source.FullName,
                new ArtifactMetadata("https://github.com/example/my-app", "v1.0.0@sha1:" + new string('0', 40)), ct: cancellationToken);
            options.Output.WriteLine($"Demo: pushed oci://{registryHost}/demo/my-app:v1.0.0 ({pushed.Digest})");
        }
        finally
        {
            source.Delete(recursive: true);
        }

        await CreateDemoRepositoryAsync(client, registryHost, cancellationToken);
    }

    private static async Task CreateDemoRepositoryAsync(ResourceClient client, string registryHost, CancellationToken cancellationToken)
    {
        await CreateDemoSourceAsync(client, registryHost, cancellationToken);
        if (await client.GetAsync(KubeResource.Kustomization, new ObjectKey("flux-system", "my-app"), cancellationToken) is null)
        {
            await client.CreateAsync(KubeResource.Kustomization, new JsonObject
            {
                ["apiVersion"] = "kustomize.toolkit.fluxcd.io/v1",
                ["kind"] = "Kustomization",
                ["metadata"] = new JsonObject { ["name"] = "my-app", ["namespace"] = "flux-system" },
                ["spec"] = new JsonObject
                {
                    ["interval"] = "10m",
                    ["sourceRef"] = new JsonObject { ["kind"] = "OCIRepository", ["name"] = "my-app" },
                    ["path"] = "./",
                    ["prune"] = true,
                    ["wait"] = true,
                    ["timeout"] = "2m",
                },
            }, cancellationToken);
        }
    }

    private static async Task CreateDemoSourceAsync(ResourceClient client, string registryHost, CancellationToken cancellationToken)
    {
        if (await client.GetAsync(KubeResource.OCIRepository, new ObjectKey("flux-system", "my-app"), cancellationToken) is null)
        {
            await client.CreateAsync(KubeResource.OCIRepository, new JsonObject
            {
                ["apiVersion"] = "source.toolkit.fluxcd.io/v1",
                ["kind"] = "OCIRepository",
                ["metadata"] = new JsonObject { ["name"] = "my-app", ["namespace"] = "flux-system" },
                ["spec"] = new JsonObject
                {
                    ["url"] = $"oci://{registryHost}/demo/my-app",
                    ["interval"] = "1m",
                    ["insecure"] = true,
                    ["ref"] = new JsonObject { ["semver"] = ">=1.0.0" },
                },
            }, cancellationToken);
        }
    }
}

/// <summary>The sample application the demo publishes.</summary>
internal static class DemoApp
{
    public const string Manifests = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: my-app
          namespace: default
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: my-app
          template:
            metadata:
              labels:
                app: my-app
            spec:
              containers:
              - name: app
                image: ghcr.io/example/my-app:1.0.0
                ports:
                - name: http
                  containerPort: 8080
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: my-app
          namespace: default
        spec:
          selector:
            app: my-app
          ports:
          - port: 80
            targetPort: http
        """;
}
