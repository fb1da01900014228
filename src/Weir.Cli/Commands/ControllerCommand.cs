using System.CommandLine;
using k8s;
using Weir.Controllers.Kustomizations;
using Weir.Core.Objects;
using Weir.Core.Time;
using Weir.Hosting;
using Weir.Runtime.Controllers;

namespace Weir.Cli.Commands;

/// <summary><c>weir controller</c>: runs Weir's controllers against any cluster from a kubeconfig or in-cluster config.</summary>
internal static class ControllerCommand
{
    public static Command Create()
    {
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Path to a kubeconfig (default: $KUBECONFIG, ~/.kube/config, or in-cluster)" };
        var context = new Option<string?>("--context") { Description = "kubeconfig context to use" };
        var storagePath = new Option<string>("--storage-path") { Description = "Artifact storage directory", DefaultValueFactory = _ => "./data/artifacts" };
        var storageAddr = new Option<string>("--storage-addr") { Description = "host:port the artifact server binds", DefaultValueFactory = _ => "127.0.0.1:9090" };
        var metricsAddr = new Option<string>("--metrics-addr") { Description = "host:port serving /metrics", DefaultValueFactory = _ => "127.0.0.1:8080" };
        var concurrent = new Option<int>("--concurrent") { Description = "Workers per controller", DefaultValueFactory = _ => 4 };
        var selector = new Option<string?>("--watch-label-selector") { Description = "Reconcile only objects matching this label selector (sharding)" };
        var leaderElect = new Option<bool>("--enable-leader-election") { Description = "Run only while holding the leader Lease", DefaultValueFactory = _ => true };
        var leaseName = new Option<string>("--leader-election-lease") { Description = "namespace/name of the leader Lease", DefaultValueFactory = _ => "flux-system/weir-controllers" };
        var leaseDuration = new Option<string>("--leader-election-lease-duration") { Description = "How long a lease holds without renewal", DefaultValueFactory = _ => "15s" };
        var renewDeadline = new Option<string>("--leader-election-renew-deadline") { Description = "How long the leader keeps trying to renew", DefaultValueFactory = _ => "10s" };
        var retryPeriod = new Option<string>("--leader-election-retry-period") { Description = "How often candidates try to acquire or renew", DefaultValueFactory = _ => "2s" };
        var watchConfigs = new Option<string>("--watch-configs-label-selector")
        {
            Description = "Secrets and ConfigMaps whose changes reconcile the Kustomizations that read them at once",
            DefaultValueFactory = _ => ConfigWatch.Selector,
        };
        var defaultServiceAccount = new Option<string?>("--default-service-account")
        {
            Description = "Service account impersonated by Kustomizations that name none",
        };
        var requeueDependency = new Option<string>("--requeue-dependency")
        {
            Description = "Retry period while a source artifact or a dependency is not ready",
            DefaultValueFactory = _ => "30s",
        };
        var noCrossNamespaceRefs = new Option<bool>("--no-cross-namespace-refs") { Description = "Refuse Kustomization sources in another namespace" };
        var command = new Command("controller", "Run Weir's controllers against a Kubernetes cluster")
        {
            kubeconfig, context, storagePath, storageAddr, metricsAddr, concurrent, selector, leaderElect, leaseName, leaseDuration, renewDeadline, retryPeriod,
            noCrossNamespaceRefs, watchConfigs, defaultServiceAccount, requeueDependency,
        };
        command.SetAction(async (parse, token) =>
        {
            var config = parse.GetValue(kubeconfig) is { } path
                ? KubernetesClientConfiguration.BuildConfigFromConfigFile(path, parse.GetValue(context))
                : KubernetesClientConfiguration.BuildDefaultConfig();
            var (storageHost, storagePort) = SplitAddress(parse.GetValue(storageAddr)!);
            var (metricsHost, metricsPort) = SplitAddress(parse.GetValue(metricsAddr)!);
            var host = new ControllerHost(new ControllerHostOptions
            {
                Kubernetes = config,
                StoragePath = Path.GetFullPath(parse.GetValue(storagePath)!),
                StorageHost = storageHost,
                StoragePort = storagePort,
                MetricsHost = metricsHost,
                MetricsPort = metricsPort,
                Concurrent = parse.GetValue(concurrent),
                WatchLabelSelector = parse.GetValue(selector),
                NoCrossNamespaceRefs = parse.GetValue(noCrossNamespaceRefs),
                WatchConfigsLabelSelector = parse.GetValue(watchConfigs)!,
                DefaultServiceAccount = parse.GetValue(defaultServiceAccount),
                RequeueDependency = FluxDuration.Parse(parse.GetValue(requeueDependency)!),
                LeaderElection = parse.GetValue(leaderElect),
                LeaseKey = ObjectKey.Parse(parse.GetValue(leaseName)!),
                LeaderElectionTiming = new LeaderElectionOptions
                {
                    LeaseDuration = FluxDuration.Parse(parse.GetValue(leaseDuration)!),
                    RenewDeadline = FluxDuration.Parse(parse.GetValue(renewDeadline)!),
                    RetryPeriod = FluxDuration.Parse(parse.GetValue(retryPeriod)!),
                },
            });
            try
            {
                await host.RunAsync(token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Ctrl-C / SIGTERM: stop cleanly.
            }

            return 0;
        });
        return command;
    }

    private static (string Host, int Port) SplitAddress(string address)
    {
        var colon = address.LastIndexOf(':');
        return colon < 0 ? (address, 0) : (address[..colon].Length == 0 ? "0.0.0.0" : address[..colon], int.Parse(address[(colon + 1)..]));
    }
}
