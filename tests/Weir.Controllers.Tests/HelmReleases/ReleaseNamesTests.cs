using Weir.Controllers.HelmReleases;
using Weir.Core.Api.Helm;
using Weir.Testing;

namespace Weir.Controllers.Tests.HelmReleases;

/// <summary>Flux's release name rule: <c>releaseName</c>, else <c>[targetNamespace-]name</c>, shortened with a hash past 53 characters.</summary>
public sealed class ReleaseNamesTests
{
    [Fact]
    public void TheNameIsTheReleaseNameOrTheTargetNamespaceAndName()
    {
        Assert.Equal("web", ReleaseNames.For("web", new HelmReleaseSpec()));
        Assert.Equal("apps-web", ReleaseNames.For("web", new HelmReleaseSpec { TargetNamespace = "apps" }));
        Assert.Equal("custom", ReleaseNames.For("web", new HelmReleaseSpec { TargetNamespace = "apps", ReleaseName = "custom" }));
    }

    [Fact]
    public async Task ANameLongerThan53CharactersKeeps40AndTwelveHexOfItsSha256()
    {
        var ns = new string('n', 30);
        var name = new string('w', 30);
        var full = $"{ns}-{name}";
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, full);
            var sha = (await TestProcess.RunAsync("sha256sum", [file])).Out.Split(' ')[0];
            var shortened = ReleaseNames.For(name, new HelmReleaseSpec { TargetNamespace = ns });
            Assert.Equal($"{full[..40]}-{sha[..12]}", shortened);
            Assert.Equal(ReleaseNames.MaxLength, shortened.Length);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
