using Weir.Kustomize.Build;
using Weir.Kustomize.Flux;
using Weir.Kustomize.Loading;
using Weir.Kustomize.Yaml;

namespace Weir.Kustomize.Tests;

/// <summary>
/// Flux's secure build over a tree that holds symbolic links (a checkout, or a layer stored as it is): no file
/// outside the fence is read, whichever path through links leads to it.
/// </summary>
public sealed class FencedBuildTests : IDisposable
{
    private readonly string _sandbox = Directory.CreateTempSubdirectory("weir-fenced-").FullName;
    private readonly string _secret = "host-secret-" + Guid.NewGuid().ToString("N");

    public FencedBuildTests()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Path.Combine(_sandbox, "host"));
        File.WriteAllText(Path.Combine(_sandbox, "host", "secret.txt"), _secret);
        File.WriteAllText(Path.Combine(_sandbox, "host", "kustomization.yaml"),
            $"configMapGenerator:\n- name: stolen\n  literals:\n  - value={_secret}\n");
    }

    private string Root => Path.Combine(_sandbox, "artifact");

    public void Dispose() => Directory.Delete(_sandbox, recursive: true);

    private void Write(string relative, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Root, relative))!);
        File.WriteAllText(Path.Combine(Root, relative), text);
    }

    private void Link(string relative, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Root, relative))!);
        File.CreateSymbolicLink(Path.Combine(Root, relative), target);
    }

    // Two links whose text stays inside the root; followed one after the other, 'exit' is the root's parent.
    private void LinksLeadingOutThroughTheirTargetsOnly()
    {
        Link("deep/er/top", "../..");
        Link("exit", "deep/er/top/..");
    }

    private KustomizeException BuildFails(LoadRestriction restriction = LoadRestriction.None)
    {
        var e = Assert.Throws<KustomizeException>(() => FluxKustomization.Build(Root, new FluxBuildSpec(), new BuildOptions(restriction, Fence: Root)));
        Assert.DoesNotContain(_secret, e.Message);
        return e;
    }

    [Theory]
    [InlineData(LoadRestriction.None)]
    [InlineData(LoadRestriction.RootOnly)]
    public void AGeneratorFileBehindLinksThatLeadOutIsNotRead(LoadRestriction restriction)
    {
        LinksLeadingOutThroughTheirTargetsOnly();
        Write("kustomization.yaml", "configMapGenerator:\n- name: app\n  files:\n  - exit/host/secret.txt\n");

        var e = BuildFails(restriction);

        Assert.Equal($"security; path '{Path.Combine(Root, "exit", "host", "secret.txt")}' is not in or below '{Root}'", e.Message);
    }

    [Fact]
    public void AResourceDirectoryBehindLinksThatLeadOutIsNotRead()
    {
        LinksLeadingOutThroughTheirTargetsOnly();
        Write("kustomization.yaml", "resources:\n- exit/host\n");

        Assert.StartsWith($"security; path '{Path.Combine(Root, "exit", "host")}' is not in or below", BuildFails().Message);
    }

    [Fact]
    public void AKustomizationFileThatIsALinkOutIsNotRead()
    {
        Link("kustomization.yaml", Path.Combine(_sandbox, "host", "kustomization.yaml"));

        Assert.StartsWith("security; path ", BuildFails().Message);
    }

    [Fact]
    public void AManifestLinkedFromOutsideIsNotReadByTheGenerator()
    {
        File.WriteAllText(Path.Combine(_sandbox, "host", "cm.yaml"), $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  v: {_secret}\n");
        Link("apps/cm.yaml", "../../host/cm.yaml");

        Assert.StartsWith($"security; path '{Path.Combine(Root, "apps", "cm.yaml")}' is not in or below", BuildFails().Message);
    }

    [Fact]
    public void LinksThatStayInsideStillWork()
    {
        Write("base/settings.env", "mode=inside");
        Link("deep/er/top", "../..");
        Link("alias", "deep/er/top/base");
        Write("kustomization.yaml", "configMapGenerator:\n- name: app\n  envs:\n  - alias/settings.env\n");

        var built = FluxKustomization.Build(Root, new FluxBuildSpec(), new BuildOptions(LoadRestriction.None, Fence: Root));

        Assert.Equal("inside", Assert.Single(built)["data"]!["mode"]!.GetValue<string>());
    }

    [Fact]
    public void ALinkLoopFailsTheBuildWithItsCause()
    {
        Link("loop", "loop/again");
        Write("kustomization.yaml", "resources:\n- loop/x.yaml\n");

        Assert.Contains("too many levels of symbolic links", BuildFails().Message);
    }

    [Fact]
    public void WithoutAFenceTheBuildIsKubectlsAndFollowsLinks()
    {
        Link("shared", "../host");
        Write("kustomization.yaml", "resources:\n- shared\n");

        var yaml = YamlText.SerializeAll(Kustomizer.Build(Root, new BuildOptions(LoadRestriction.RootOnly)));
        var (code, stdout, stderr) = KubectlOracle.Kustomize(Root);

        Assert.True(code == 0, stderr);
        Assert.Equal(stdout, yaml);
    }
}
