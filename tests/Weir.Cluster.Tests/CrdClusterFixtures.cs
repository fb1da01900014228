using System.Text.Json.Nodes;
using Weir.Core.Api.Crds;

namespace Weir.Cluster.Tests;

/// <summary>An embedded server with a set of CRDs installed through kubectl and the namespace flux-system.</summary>
public abstract class CrdClusterFixture : IAsyncLifetime
{
    private readonly List<string> _workDirs = [];

    public ClusterFixture Cluster { get; } = new();

    /// <summary>The CRD files to install, given a directory to write them in.</summary>
    protected abstract IEnumerable<string> CrdFiles(string workDir);

    /// <summary>A kubectl of the given minor version with its own work directory (removed with the fixture).</summary>
    public Kubectl Kubectl(int minor = 31)
    {
        var work = TestEnv.TempDir("weir-crd-rules-");
        lock (_workDirs)
        {
            _workDirs.Add(work);
        }

        return new Kubectl(Weir.Testing.Kubectl.Path(minor), Cluster.Kubeconfig, work);
    }

    public async Task InitializeAsync()
    {
        await Cluster.InitializeAsync();
        var k = Kubectl();
        foreach (var file in CrdFiles(k.WorkDir))
        {
            await k.OkAsync("apply", "-f", file);
        }

        await k.OkAsync("create", "namespace", "flux-system");
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        foreach (var dir in _workDirs)
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

/// <summary>Flux's own CRDs, read in place from the shared reference.</summary>
public sealed class FluxCrdsFixture : CrdClusterFixture
{
    public static string Directory => TestPaths.SharedReference("flux-crds");

    protected override IEnumerable<string> CrdFiles(string workDir) =>
        System.IO.Directory.GetFiles(Directory, "*.yaml").Order(StringComparer.Ordinal);
}

/// <summary>The CRDs Weir generates (the ones <c>weir up</c> installs).</summary>
public sealed class WeirCrdsFixture : CrdClusterFixture
{
    protected override IEnumerable<string> CrdFiles(string workDir)
    {
        foreach (var crd in CrdCatalog.All())
        {
            var file = Path.Combine(workDir, crd["metadata"]!["name"]!.GetValue<string>() + ".json");
            File.WriteAllText(file, crd.ToJsonString());
            yield return file;
        }
    }

    /// <summary>Weir's CRD of a kind, for reading the messages of its rules.</summary>
    public static JsonObject Schema(string kind) => CrdCatalog.All()
        .Single(c => c["spec"]!["names"]!["kind"]!.GetValue<string>() == kind)["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!.AsObject();
}
