using System.Text.Json.Nodes;
using Weir.Controllers.Kube;
using Weir.Core.Objects;
using Weir.Testing;
using static Weir.Controllers.Tests.Kustomizations.KustomizeControllerHarness;

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
