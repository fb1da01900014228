using k8s;
using Weir.Controllers.HelmReleases;
using Weir.Controllers.Kustomizations;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Sources.GitRepositories;
using Weir.Sources.OciRepositories;
using Weir.Sources.Storage;

namespace Weir.Hosting;

/// <summary>Settings of a controller process (<c>weir controller</c>, and the controllers inside <c>weir up</c>).</summary>
public sealed record ControllerHostOptions
{
    public required KubernetesClientConfiguration Kubernetes { get; init; }

    /// <summary>Artifact storage directory.</summary>
    public required string StoragePath { get; init; }

    /// <summary>Address the artifact server binds (host and port; port 0 picks a free one).</summary>
    public string StorageHost { get; init; } = "127.0.0.1";

    public int StoragePort { get; init; }

    /// <summary>
    /// With <see cref="StoragePort"/> 0: the file remembering the artifact server's port, so a restarted process
    /// serves artifacts at the address the sources' status already names (<c>weir up</c>).
    /// </summary>
    public string? StoragePortFile { get; init; }

    public string MetricsHost { get; init; } = "127.0.0.1";

    public int MetricsPort { get; init; }

    /// <summary>Workers per controller (Flux's <c>--concurrent</c>).</summary>
    public int Concurrent { get; init; } = 4;

    /// <summary>Only objects matching this label selector are reconciled (sharding).</summary>
    public string? WatchLabelSelector { get; init; }

    /// <summary>Impersonated by Kustomizations that name no service account (<c>--default-service-account</c>).</summary>
    public string? DefaultServiceAccount { get; init; }

    /// <summary>Retry period while a source artifact or a dependency is not ready (<c>--requeue-dependency</c>).</summary>
    public TimeSpan RequeueDependency { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Secrets and ConfigMaps whose changes reconcile the Kustomizations reading them at once.</summary>
    public string WatchConfigsLabelSelector { get; init; } = ConfigWatch.Selector;

    /// <summary>Kustomizations may not use sources of other namespaces (Flux's <c>--no-cross-namespace-refs</c>).</summary>
    public bool NoCrossNamespaceRefs { get; init; }

    public bool LeaderElection { get; init; } = true;

    public ObjectKey LeaseKey { get; init; } = new("flux-system", "weir-controllers");

    public LeaderElectionOptions LeaderElectionTiming { get; init; } = new();

    public string Identity { get; init; } = $"{Environment.MachineName}_{Environment.ProcessId}";

    public TextWriter LogOutput { get; init; } = Console.Out;
}

/// <summary>
/// A controller process: the artifact store and server, the metrics endpoint and JSON logs around the
/// <see cref="ControllerSet"/>, optionally behind leader election so only one replica reconciles at a time.
/// </summary>
public sealed class ControllerHost(ControllerHostOptions options)
{
    /// <summary>Known once started: where artifacts and metrics are served.</summary>
    public ArtifactServer? ArtifactServer { get; private set; }

    public MetricsServer? MetricsServer { get; private set; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var log = new JsonLog(options.LogOutput);
        var client = new ResourceClient(new Kubernetes(options.Kubernetes));
        var store = new ArtifactStore(options.StoragePath);
        var metrics = new ControllerMetrics();
        await using var artifacts = ArtifactServer = options is { StoragePort: 0, StoragePortFile: { } portFile }
            ? await ArtifactServer.StartWithRememberedPortAsync(store, options.StorageHost, portFile, cancellationToken)
            : await ArtifactServer.StartAsync(store, options.StorageHost, options.StoragePort, cancellationToken);
        await using var metricsServer = MetricsServer = await MetricsServer.StartAsync(metrics, options.MetricsHost, options.MetricsPort, cancellationToken);
        log.Info($"serving artifacts on {artifacts.Address} and metrics on {metricsServer.Address}metrics");

        async Task Lead(CancellationToken token)
        {
            log.Info("starting controllers", fields: new Dictionary<string, string> { ["identity"] = options.Identity });
            var controllers = new ControllerSet(client, store, artifacts, metrics, new ControllerSetOptions
            {
                Concurrent = options.Concurrent,
                WatchLabelSelector = options.WatchLabelSelector,
                WatchConfigsLabelSelector = options.WatchConfigsLabelSelector,
                OCIRepository = new OCIRepositoryOptions { Log = log },
                GitRepository = new GitRepositoryOptions { Log = log },
                Kustomization = new KustomizationOptions
                {
                    Log = log,
                    NoCrossNamespaceRefs = options.NoCrossNamespaceRefs,
                    DefaultServiceAccount = options.DefaultServiceAccount,
                    RequeueDependency = options.RequeueDependency,
                },
                HelmRelease = new HelmReleaseOptions
                {
                    Log = log,
                    DefaultServiceAccount = options.DefaultServiceAccount,
                    RequeueDependency = options.RequeueDependency,
                },
                OnError = (controller, key, error) => log.Unexpected("Reconciler error", error, controller, key),
            });
            await controllers.RunAsync(token);
        }

        if (!options.LeaderElection)
        {
            await Lead(cancellationToken);
            return;
        }

        var elector = new LeaderElector(client, options.LeaseKey, options.Identity, options.LeaderElectionTiming);
        log.Info("waiting for leadership", fields: new Dictionary<string, string> { ["lease"] = options.LeaseKey.ToString(), ["identity"] = options.Identity });
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await elector.RunAsync(Lead, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            if (!cancellationToken.IsCancellationRequested)
            {
                log.Info("lost leadership; waiting to lead again", fields: new Dictionary<string, string> { ["identity"] = options.Identity });
            }
        }
    }
}
