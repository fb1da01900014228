using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using Weir.Bench.Scale;
using Weir.Cluster;
using Weir.Core.Api.Crds;
using Weir.Oci.Artifacts;
using Weir.Oci.Distribution;
using Weir.Oci.Registry;
using Weir.Runtime.Kube;

// Scale harness in the Flux benchmark's shape: per app one OCIRepository and one Kustomization applying a Deployment
// scaled to 0, a ServiceAccount, a Service and an Ingress — or, with --helmreleases, one HelmRelease per app of one
// chart (the same four objects) from one OCIRepository. Measures the time from the first create until every
// Kustomization (HelmRelease) is Ready, and the controllers' peak memory.
// Usage: dotnet bench/Weir.Bench.Scale/bin/Release/net10.0/Weir.Bench.Scale.dll [--apps 100,500,1000] [--concurrent 10] [--helmreleases]
var helmReleases = args.Contains("--helmreleases");
var sizes = ArgString("--apps", "100,500,1000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToList();
var concurrent = int.Parse(ArgString("--concurrent", "10"), CultureInfo.InvariantCulture);
var timeout = TimeSpan.FromMinutes(int.Parse(ArgString("--timeout-minutes", "10"), CultureInfo.InvariantCulture));
Console.WriteLine($"{(helmReleases ? "HRs" : "apps"),6} {"all created",12} {"sources Ready",14} {"all Ready",10} {"controllers peak",17} {"API server+registry peak",25}  (--concurrent {concurrent}, {Environment.ProcessorCount} cores)");
foreach (var apps in sizes)
{
    await RunAsync(apps);
}

async Task RunAsync(int apps)
{
    var root = Directory.CreateTempSubdirectory("weir-scale-").FullName;
    await using var cluster = await ClusterServer.StartAsync(new ClusterOptions { DataDir = Path.Combine(root, "cluster") });
    await using var registry = await RegistryServer.StartAsync(new RegistryServerOptions
    {
        DataDirectory = Path.Combine(root, "registry"),
        BindAddress = IPAddress.Loopback,
    });
    var client = new ResourceClient(new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.KubeconfigPath)));
    await InstallAsync(client);
    var repository = $"{registry.Host}/bench/app";
    if (helmReleases)
    {
        await AppChart.PushAsync($"{registry.Host}/bench/charts");
        await client.CreateAsync(KubeResource.OCIRepository, AppChart.Source($"{registry.Host}/bench/charts"));
    }
    else
    {
        await PushAsync(repository);
    }

    using var controllers = ControllerProcess.Start(cluster.KubeconfigPath!, Path.Combine(root, "artifacts"), concurrent, Path.Combine(root, "controllers.log"));
    // Readiness is followed with watches rather than lists, so the harness adds no load that grows with the apps.
    using var watching = new CancellationTokenSource();
    var readiness = helmReleases ? new Readiness(client, KubeResource.HelmRelease, AppManifests.Namespace) : new Readiness(client, KubeResource.Kustomization, "flux-system");
    var watches = readiness.RunAsync(watching.Token);
    await readiness.Synced;
    var serverCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < apps)
        {
            var name = $"app-{i:D4}";
            if (helmReleases)
            {
                await client.CreateAsync(KubeResource.HelmRelease, AppChart.Release(name));
                continue;
            }

            await client.CreateAsync(KubeResource.OCIRepository, Source(name, repository));
            await client.CreateAsync(KubeResource.Kustomization, Kustomization(name));
        }
    })));
    var created = clock.Elapsed;

    TimeSpan? sourcesReady = null;
    var sources = helmReleases ? 1 : apps;
    while (clock.Elapsed < timeout && !controllers.HasExited && readiness.Appliers.Count < apps)
    {
        if (sourcesReady is null && readiness.Sources.Count == sources)
        {
            sourcesReady = clock.Elapsed;
        }

        await Task.Delay(100);
    }

    var ready = readiness.Appliers.Count;
    var elapsed = clock.Elapsed;
    await watching.CancelAsync();
    await watches;
    var controllersCpu = controllers.HasExited ? TimeSpan.Zero : controllers.CpuTime();
    var serverCpu = Process.GetCurrentProcess().TotalProcessorTime - serverCpuBefore;
    var controllersPeak = controllers.HasExited ? 0 : controllers.PeakMiB();
    var serverPeak = ControllerProcess.ProcStatusKiB(Environment.ProcessId, "VmHWM:") / 1024.0;
    var outcome = ready == apps ? $"{elapsed.TotalSeconds,9:F1}s" : $"timeout: {ready}/{apps} Ready after {elapsed.TotalSeconds:F0}s (log: {root}/controllers.log)";
    var sourcesText = sourcesReady is { } s ? $"{s.TotalSeconds,12:F1}s" : "-";
    Console.WriteLine($"{apps,6} {created.TotalSeconds,11:F1}s {sourcesText,14} {outcome,10} {controllersPeak,13:F0} MiB {serverPeak,21:F0} MiB  CPU s: controllers {controllersCpu.TotalSeconds:F1}, API server+registry+harness {serverCpu.TotalSeconds:F1}");
    if (args.Contains("--keep"))
    {
        Console.WriteLine($"       kept {root}");
    }
    else if (ready == apps)
    {
        Directory.Delete(root, recursive: true);
    }
}

static async Task InstallAsync(ResourceClient client)
{
    var crds = new KubeResource("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", Namespaced: false);
    foreach (var crd in CrdCatalog.All())
    {
        await client.CreateAsync(crds, crd);
    }

    var namespaces = new KubeResource("", "v1", "namespaces", "Namespace", Namespaced: false);
    foreach (var name in new[] { "flux-system", AppManifests.Namespace })
    {
        await client.CreateAsync(namespaces, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } });
    }
}

static async Task PushAsync(string repository)
{
    var dir = Directory.CreateTempSubdirectory("weir-scale-app-");
    try
    {
        foreach (var (path, content) in AppManifests.Files)
        {
            await File.WriteAllTextAsync(Path.Combine(dir.FullName, path), content);
        }

        await new ArtifactClient(new RegistryClientOptions { Insecure = true }).PushAsync(OciReference.Parse($"{repository}:v1.0.0"), dir.FullName,
            new ArtifactMetadata("https://example.com/bench", "v1.0.0@sha1:0123456789abcdef0123456789abcdef01234567"));
    }
    finally
    {
        dir.Delete(recursive: true);
    }
}

static JsonObject Source(string name, string repository) => new()
{
    ["apiVersion"] = "source.toolkit.fluxcd.io/v1",
    ["kind"] = "OCIRepository",
    ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "flux-system" },
    ["spec"] = new JsonObject
    {
        ["url"] = $"oci://{repository}",
        ["interval"] = "60m",
        ["insecure"] = true,
        ["ref"] = new JsonObject { ["tag"] = "v1.0.0" },
    },
};

static JsonObject Kustomization(string name) => new()
{
    ["apiVersion"] = "kustomize.toolkit.fluxcd.io/v1",
    ["kind"] = "Kustomization",
    ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "flux-system" },
    ["spec"] = new JsonObject
    {
        ["interval"] = "60m",
        ["sourceRef"] = new JsonObject { ["kind"] = "OCIRepository", ["name"] = name },
        ["path"] = "./",
        ["prune"] = true,
        ["wait"] = true,
        ["timeout"] = "5m",
        ["postBuild"] = new JsonObject { ["substitute"] = new JsonObject { ["app"] = name } },
    },
};

string ArgString(string name, string fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
