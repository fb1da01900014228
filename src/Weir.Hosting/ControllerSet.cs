using Weir.Controllers.HelmReleases;
using Weir.Controllers.Kustomizations;
using Weir.Controllers.Notifications;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Sources.ArtifactGenerators;
using Weir.Sources.GitRepositories;
using Weir.Sources.HelmCharts;
using Weir.Sources.HelmRepositories;
using Weir.Sources.OciRepositories;
using Weir.Sources.Storage;

namespace Weir.Hosting;

/// <summary>Settings of the reconcilers themselves, the same whoever runs them.</summary>
public sealed record ControllerSetOptions
{
    /// <summary>Workers per controller (Flux's <c>--concurrent</c>).</summary>
    public int Concurrent { get; init; } = 4;

    /// <summary>Only objects matching this label selector are reconciled (sharding).</summary>
    public string? WatchLabelSelector { get; init; }

    /// <summary>Secrets and ConfigMaps whose changes reconcile the Kustomizations and HelmReleases reading them at once.</summary>
    public string WatchConfigsLabelSelector { get; init; } = ConfigWatch.Selector;

    public OCIRepositoryOptions OCIRepository { get; init; } = new();

    public GitRepositoryOptions GitRepository { get; init; } = new();

    public HelmRepositoryOptions HelmRepository { get; init; } = new();

    public HelmChartOptions HelmChart { get; init; } = new();

    public ArtifactGeneratorOptions ArtifactGenerator { get; init; } = new();

    public KustomizationOptions Kustomization { get; init; } = new();

    public HelmReleaseOptions HelmRelease { get; init; } = new();

    /// <summary>Told of each unexpected reconcile exception (controller, object); steps report expected failures as conditions.</summary>
    public Action<string, ObjectKey, Exception>? OnError { get; init; }
}

/// <summary>
/// The composition root of the reconcilers: every controller Weir runs, under one <see cref="ControllerManager"/>.
/// <c>weir controller</c> and <c>weir up</c> (through <see cref="ControllerHost"/>) and the test harnesses all build
/// their controllers here, so each runs the same set wired the same way. A new kind's controller is one line below:
/// sources first (an applier watches the sources registered before it), then the appliers.
/// </summary>
public sealed class ControllerSet
{
    private readonly List<KubeResource> _sources = [];
    private readonly ConfigWatch _configs;

    public ControllerSet(ResourceClient client, ArtifactStore store, ArtifactServer artifacts, ControllerMetrics metrics, ControllerSetOptions options)
    {
        Manager = new ControllerManager(client, metrics, labelSelector: options.WatchLabelSelector, onError: options.OnError);
        var workers = options.Concurrent;

        AddSource(KubeResource.OCIRepository, new OCIRepositoryReconciler(
            client, store, artifacts, new EventRecorder(client, OCIRepositoryReconciler.ControllerName), options.OCIRepository), workers);
        AddSource(KubeResource.GitRepository, new GitRepositoryReconciler(
            client, store, artifacts, new EventRecorder(client, GitRepositoryReconciler.ControllerName), options.GitRepository), workers);
        AddSource(KubeResource.HelmRepository, new HelmRepositoryReconciler(
            client, store, artifacts, new EventRecorder(client, HelmRepositoryReconciler.ControllerName), options.HelmRepository), workers);

        // ExternalArtifacts are watched, not reconciled (their producers write them).
        WatchSource(KubeResource.ExternalArtifact);

        // The HelmChart comes after the sources it builds from: it watches their artifacts.
        var chartSources = _sources.ToList();
        HelmChartWatches.Register(Manager, AddSource(KubeResource.HelmChart, new HelmChartReconciler(
            client, store, artifacts, new EventRecorder(client, HelmChartReconciler.ControllerName), options.HelmChart), workers), chartSources);

        // The generator reads every source kind, charts and ExternalArtifacts included.
        ArtifactGeneratorController.Register(Manager, new ArtifactGeneratorReconciler(client, store, artifacts,
            new EventRecorder(client, ArtifactGeneratorReconciler.ControllerName), options.ArtifactGenerator), workers, _sources);

        var kustomizations = KustomizationController.Register(Manager, new KustomizationReconciler(
            client, new EventRecorder(client, KustomizationReconciler.ControllerName), options.Kustomization), workers, _sources);
        var helmReleases = HelmReleaseController.Register(Manager, new HelmReleaseReconciler(
            client, new EventRecorder(client, HelmReleaseReconciler.ControllerName), options.HelmRelease), workers, _sources);
        _configs = new ConfigWatch(client, Manager, selector: options.WatchConfigsLabelSelector)
            .Serve(KubeResource.Kustomization, kustomizations, ConfigWatch.References)
            .Serve(KubeResource.HelmRelease, helmReleases, HelmReleaseController.References);

        Manager.Add(new ControllerRegistration(KubeResource.Receiver, new ReceiverReconciler(
            client, new EventRecorder(client, ReceiverReconciler.ControllerName), options.Kustomization.Log), workers));
    }

    public ControllerManager Manager { get; }

    /// <summary>Runs every controller and the watches between them until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(Manager.RunAsync(cancellationToken), _configs.RunAsync(cancellationToken));

    private void WatchSource(KubeResource resource)
    {
        Manager.Watch(resource);
        _sources.Add(resource);
    }

    private Informer AddSource(KubeResource resource, IReconciler reconciler, int workers)
    {
        var informer = Manager.Add(new ControllerRegistration(resource, reconciler, workers));
        _sources.Add(resource);
        return informer;
    }
}
