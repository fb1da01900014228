using System.Formats.Tar;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Oci.Distribution;
using Weir.Runtime.Kube;
using Weir.Testing;
using static Weir.Testing.StatusConditions;

namespace Weir.Controllers.Tests.Kustomizations;

/// <summary>
/// What an artifact may hold: Flux builds with kustomize's <c>LoadRestrictionsNone</c> inside a file system fenced at
/// the artifact's root (files of sibling directories, but nothing outside the artifact), and a SOPS-encrypted Secret
/// is refused rather than applied as ciphertext.
/// </summary>
public sealed class ArtifactFilesTests(KustomizeControllerHarness harness) : IClassFixture<KustomizeControllerHarness>
{
    private static string ConfigMap(string ns, string name) => $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: {ns}\ndata:\n  a: b\n";

    [Fact]
    public async Task FilesOfOtherDirectoriesOfTheArtifactCanBeUsed()
    {
        await harness.CreateNamespaceAsync("files-ok");
        await harness.PushAsync("files-ok", "v1.0.0", new Dictionary<string, string>
        {
            ["shared/common.yaml"] = ConfigMap("files-ok", "common"),
            ["apps/kustomization.yaml"] = "resources:\n- ../shared/common.yaml\n- app.yaml\n",
            ["apps/app.yaml"] = ConfigMap("files-ok", "app"),
        });
        await harness.CreateSourceAsync("files-ok", "files-ok");
        await harness.CreateKustomizationAsync("files-ok", "files-ok", new JsonObject { ["path"] = "./apps" });

        var ready = await harness.WaitForReadyAsync("files-ok", IsTrue);
        Assert.StartsWith("Applied revision: v1.0.0@", Message(ready));
        Assert.NotNull(await harness.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey("files-ok", "common")));
        Assert.NotNull(await harness.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey("files-ok", "app")));
    }

    [Fact]
    public async Task NothingOutsideTheArtifactIsRead()
    {
        var outside = Directory.CreateTempSubdirectory("weir-outside-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(outside.FullName, "kustomization.yaml"), "resources:\n- secret.yaml\n");
            await File.WriteAllTextAsync(Path.Combine(outside.FullName, "secret.yaml"), ConfigMap("files-fenced", "stolen"));
            await harness.CreateNamespaceAsync("files-fenced");
            await harness.PushAsync("files-fenced", "v1.0.0", new Dictionary<string, string>
            {
                ["kustomization.yaml"] = $"resources:\n- {outside.FullName}\n- ../../../../../../../../..{outside.FullName}/secret.yaml\n",
            });
            await harness.CreateSourceAsync("files-fenced", "files-fenced");
            await harness.CreateKustomizationAsync("files-fenced", "files-fenced");

            // The first answer may be "Source artifact not found" while the source is fetched.
            var failed = await harness.WaitForReadyAsync("files-fenced", c => IsFalse(c) && c["reason"]!.GetValue<string>() == "BuildFailed");
            Assert.Matches($@"^kustomize build failed: .*security; path '{System.Text.RegularExpressions.Regex.Escape(outside.FullName)}' is not in or below '/", Message(failed));
            Assert.Null(await harness.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey("files-fenced", "stolen")));
        }
        finally
        {
            outside.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ALayerStoredAsItIsThatHoldsLinksIsRefusedWhenUnpacked()
    {
        const string ns = "files-copy";
        await harness.CreateNamespaceAsync(ns);
        // A host file beside the directory the artifact is unpacked into, and links whose text stays inside it
        // but which, followed one after the other, lead there.
        var secret = Path.Combine(Path.GetTempPath(), "weir-host-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(secret, "host secret");
        var tarball = RawArtifacts.TarGz(tar =>
        {
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, "kustomization.yaml")
            {
                DataStream = new MemoryStream(Encoding.UTF8.GetBytes(
                    $"namespace: {ns}\nconfigMapGenerator:\n- name: stolen\n  files:\n  - out/{Path.GetFileName(secret)}\n")),
            });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, "d/"));
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "d/top") { LinkName = ".." });
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "out") { LinkName = "d/top/.." });
        });
        await RawArtifacts.PushLayerAsync(harness.RegistryHost, ns, "v1.0.0", tarball);
        await harness.CreateSourceAsync(ns, ns, extra: new JsonObject
        {
            ["layerSelector"] = new JsonObject { ["mediaType"] = MediaTypes.FluxContent, ["operation"] = "copy" },
        });
        await harness.CreateKustomizationAsync(ns, ns);

        // The source stores the layer as it is (as Flux does); unpacking it for the build refuses the link.
        var failed = await harness.WaitForReadyAsync(ns, c => IsFalse(c) && c["reason"]!.GetValue<string>() == "ArtifactFailed"
            && !Message(c).StartsWith("Source", StringComparison.Ordinal));
        Assert.Equal("failed to extract archive (check whether file size exceeds max download size): "
            + "tar file entry d/top is a symlink, which is not allowed in this context", Message(failed));
        var (configMaps, _) = await harness.Client.ListAsync(KubeResource.ConfigMap, ns);
        Assert.DoesNotContain(configMaps, c => c.Name().StartsWith("stolen", StringComparison.Ordinal));
        File.Delete(secret);
    }

    [Theory]
    [InlineData(false, "Secret/sops-{0}/db is SOPS encrypted, configuring decryption is required for this secret to be reconciled")]
    [InlineData(true, "Secret/sops-{0}/db is SOPS encrypted, and Weir cannot decrypt SOPS yet (spec.decryption is not supported)")]
    public async Task ASopsEncryptedSecretIsNeverAppliedAsCiphertext(bool withDecryption, string expected)
    {
        var ns = withDecryption ? "sops-dec" : "sops-none";
        await harness.CreateNamespaceAsync(ns);
        await harness.PushAsync(ns, "v1.0.0", new Dictionary<string, string>
        {
            ["app.yaml"] = ConfigMap(ns, "app") + "---\n" + SopsSecret.Manifest("db", ns),
        });
        await harness.CreateSourceAsync(ns, ns);
        await harness.CreateKustomizationAsync(ns, ns, withDecryption
            ? new JsonObject { ["decryption"] = new JsonObject { ["provider"] = "sops" } }
            : null);

        var failed = await harness.WaitForReadyAsync(ns, c => IsFalse(c) && c["reason"]!.GetValue<string>() == "ReconciliationFailed");
        Assert.Equal(string.Format(System.Globalization.CultureInfo.InvariantCulture, expected, withDecryption ? "dec" : "none"), Message(failed));
        Assert.Null(await harness.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey(ns, "app")));
        Assert.Null(await harness.Client.GetAsync(KubeResource.Secret, new ObjectKey(ns, "db")));
    }
}
