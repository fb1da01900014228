using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Kube;
using Weir.Sources.Tests.OciRepositories;
using Weir.Testing;
using static Weir.Sources.Tests.HelmRepositories.HelmSources;

namespace Weir.Sources.Tests.HelmRepositories;

/// <summary>HelmRepositories of type default against a real chart repository (nginx: plain, basic auth, TLS, mutual TLS).</summary>
public sealed class HelmRepositoryReconcilerTests(SourceControllerHarness harness, ChartRepositoryServer charts)
    : IClassFixture<SourceControllerHarness>, IClassFixture<ChartRepositoryServer>
{
    private static readonly KubeResource Repo = KubeResource.HelmRepository;

    [Fact]
    public async Task IndexIsStoredWithItsDigestAsRevisionAndAnUnchangedIndexStoresNothing()
    {
        charts.Publish("stored", TestCharts.Package("podinfo", "6.5.3"));
        await harness.CreateHelmRepositoryAsync("stored", charts.PublicUrl("stored"));

        var revision = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(charts.Root, "stored", "index.yaml"))));
        var ready = await harness.WaitForRepositoryAsync("stored", IsTrue);
        Assert.Equal($"stored artifact: revision '{revision}'", Message(ready));
        Assert.Equal("Succeeded", Reason(ready));
        var obj = await harness.GetAsync("stored", Repo);
        var artifact = obj["status"]!["artifact"]!;
        Assert.Equal(revision, artifact["revision"]!.GetValue<string>());
        Assert.EndsWith(".yaml", artifact["path"]!.GetValue<string>());
        var stored = JsonNode.Parse(await DownloadAsync(artifact))!;
        Assert.Equal("6.5.3", stored["entries"]!["podinfo"]![0]!["version"]!.GetValue<string>());
        Assert.Contains(ReconcilerSettingsFinalizer, obj.Metadata()!["finalizers"]!.AsArray().Select(f => f!.GetValue<string>()));

        var before = artifact.ToJsonString();
        await harness.RequestReconcileAsync("stored", Repo);
        await WaitForHandledAsync("stored");
        Assert.Equal(before, (await harness.GetAsync("stored", Repo))["status"]!["artifact"]!.ToJsonString());
    }

    [Fact]
    public async Task WrongCredentialsOrAnUnreachableServerFailNamingTheCauseAndKeepTheLastArtifact()
    {
        charts.Publish("private", TestCharts.Package("app", "1.0.0"));
        await harness.CreateSecretAsync("private-auth", new Dictionary<string, string> { ["username"] = charts.Username, ["password"] = charts.Password });
        await harness.CreateHelmRepositoryAsync("private", charts.PrivateUrl("private"), new JsonObject { ["secretRef"] = new JsonObject { ["name"] = "private-auth" } });
        await harness.WaitForRepositoryAsync("private", IsTrue);
        var good = (await harness.GetAsync("private", Repo))["status"]!["artifact"]!.ToJsonString();

        await harness.ReplaceSecretAsync("private-auth", new Dictionary<string, string> { ["username"] = charts.Username, ["password"] = "wrong-secret-value" });
        await harness.RequestReconcileAsync("private", Repo);
        var denied = await harness.WaitForRepositoryAsync("private", IsFalse);
        Assert.Equal($"failed to fetch Helm repository index: failed to fetch {charts.PrivateUrl("private")}/index.yaml : 401 Unauthorized", Message(denied));
        Assert.Equal("Failed", Reason(denied));
        Assert.DoesNotContain("wrong-secret-value", (await harness.GetAsync("private", Repo)).ToJsonString());
        Assert.Equal(good, (await harness.GetAsync("private", Repo))["status"]!["artifact"]!.ToJsonString());

        var closed = TestEnv.FreePort();
        await harness.PatchSpecAsync("private", new JsonObject { ["url"] = $"http://127.0.0.1:{closed}/charts" }, Repo);
        var unreachable = await harness.WaitForRepositoryAsync("private", c => IsFalse(c) && Message(c).Contains($"{closed}"));
        Assert.StartsWith($"failed to fetch Helm repository index: Get \"http://127.0.0.1:{closed}/charts/index.yaml\": Connection refused", Message(unreachable));
        Assert.Equal(good, (await harness.GetAsync("private", Repo))["status"]!["artifact"]!.ToJsonString());

        await harness.CreateHelmRepositoryAsync("no-secret", charts.PrivateUrl("private"), new JsonObject { ["secretRef"] = new JsonObject { ["name"] = "missing" } });
        var missing = await harness.WaitForRepositoryAsync("no-secret", IsFalse);
        Assert.Equal("failed to get authentication secret 'flux-system/missing': secrets \"missing\" not found", Message(missing));
        Assert.Equal("AuthenticationFailed", Reason(missing));
    }

    [Fact]
    public async Task TlsWithTheRepositoryCaAndAClientCertificate()
    {
        charts.Publish("tls", TestCharts.Package("app", "1.0.0"));
        await harness.CreateHelmRepositoryAsync("tls-untrusted", charts.HttpsUrl("tls"));
        var untrusted = await harness.WaitForRepositoryAsync("tls-untrusted", IsFalse);
        Assert.StartsWith($"failed to fetch Helm repository index: Get \"{charts.HttpsUrl("tls")}/index.yaml\": The SSL connection could not be established", Message(untrusted));

        await harness.CreateSecretAsync("tls-ca", new Dictionary<string, string> { ["ca.crt"] = charts.CaPem });
        await harness.CreateHelmRepositoryAsync("tls", charts.HttpsUrl("tls"), new JsonObject { ["certSecretRef"] = new JsonObject { ["name"] = "tls-ca" } });
        await harness.WaitForRepositoryAsync("tls", IsTrue);

        await harness.CreateHelmRepositoryAsync("mtls-no-cert", charts.MtlsUrl("tls"), new JsonObject { ["certSecretRef"] = new JsonObject { ["name"] = "tls-ca" } });
        var forbidden = await harness.WaitForRepositoryAsync("mtls-no-cert", IsFalse);
        Assert.EndsWith("/index.yaml : 403 Forbidden", Message(forbidden));

        await harness.CreateSecretAsync("mtls", new Dictionary<string, string>
        {
            ["ca.crt"] = charts.CaPem,
            ["tls.crt"] = charts.ClientCertPem,
            ["tls.key"] = charts.ClientKeyPem,
        });
        await harness.CreateHelmRepositoryAsync("mtls", charts.MtlsUrl("tls"), new JsonObject { ["certSecretRef"] = new JsonObject { ["name"] = "mtls" } });
        await harness.WaitForRepositoryAsync("mtls", IsTrue);
    }

    [Fact]
    public async Task AnIndexThatIsNotAHelmIndexFailsNamingTheCause()
    {
        charts.WriteIndex("broken", "apiVersion: v1\nentries:\n  app: [\n");
        await harness.CreateHelmRepositoryAsync("broken", charts.PublicUrl("broken"));
        var broken = await harness.WaitForRepositoryAsync("broken", IsFalse);
        Assert.Equal("IndexationFailed", Reason(broken));
        Assert.StartsWith("failed to load Helm repository from index YAML: error unmarshaling JSON: yaml: line ", Message(broken));

        charts.WriteIndex("no-version", "entries: {}\n");
        await harness.CreateHelmRepositoryAsync("no-version", charts.PublicUrl("no-version"));
        var noVersion = await harness.WaitForRepositoryAsync("no-version", IsFalse);
        Assert.Equal("failed to load Helm repository from index YAML: no API version specified", Message(noVersion));

        await harness.CreateHelmRepositoryAsync("oci-scheme", "oci://127.0.0.1:1/charts");
        var oci = await harness.WaitForRepositoryAsync("oci-scheme", IsFalse);
        Assert.Equal("invalid Helm repository URL: 'oci' URL scheme cannot be used with 'default' HelmRepository type", Message(oci));
        Assert.Equal("URLInvalid", Reason(oci));
    }

    [Fact]
    public async Task AnOversizedIndexIsRefusedByItsSize()
    {
        var big = "apiVersion: v1\nentries: {}\n# " + new string('x', (int)SourceControllerHarness.HelmOptions.MaxIndexSize) + "\n";
        charts.WriteIndex("huge", big);
        await harness.CreateHelmRepositoryAsync("huge", charts.PublicUrl("huge"));
        var huge = await harness.WaitForRepositoryAsync("huge", IsFalse);
        Assert.Equal($"failed to fetch Helm repository index: index exceeds the maximum index file size of {SourceControllerHarness.HelmOptions.MaxIndexSize} bytes", Message(huge));
    }

    [Fact]
    public async Task AnOciRepositoryIsStaticAndStrippedOfWhatAnEarlierVersionStored()
    {
        await harness.CreateHelmRepositoryAsync("static", "oci://127.0.0.1:1/charts", new JsonObject { ["type"] = "oci" });
        charts.Publish("stored-migrated", TestCharts.Package("app", "1.0.0"));
        await harness.CreateHelmRepositoryAsync("migrated", charts.PublicUrl("stored-migrated"));
        await harness.WaitForRepositoryAsync("migrated", IsTrue);

        await harness.PatchSpecAsync("migrated", new JsonObject { ["type"] = "oci", ["url"] = "oci://127.0.0.1:1/charts" }, Repo);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonObject migrated;
        do
        {
            await Task.Delay(100);
            migrated = await harness.GetAsync("migrated", Repo);
        }
        while ((Recorded(migrated) || migrated.Metadata()!["finalizers"] is JsonArray { Count: > 0 }) && DateTime.UtcNow < deadline);

        Assert.False(Recorded(migrated), migrated.ToJsonString());
        Assert.DoesNotContain("finalizers.fluxcd.io", migrated.Metadata()!["finalizers"]?.ToJsonString() ?? "");
        Assert.False(Directory.Exists(Path.Combine(harness.Store.Root, "helmrepository", "flux-system", "migrated")));

        var untouched = await harness.GetAsync("static", Repo);
        Assert.False(Recorded(untouched), untouched.ToJsonString());
        Assert.Null(untouched.Metadata()!["finalizers"]);
    }

    // What a reconcile records; the API server's default status {observedGeneration: -1} is not such a record.
    private static bool Recorded(JsonObject obj) =>
        obj["status"] is JsonObject status && status.Any(p => p.Key != "observedGeneration");

    private const string ReconcilerSettingsFinalizer = "finalizers.fluxcd.io";

    private async Task WaitForHandledAsync(string name)
    {
        for (var i = 0; i < 200; i++)
        {
            var obj = await harness.GetAsync(name, Repo);
            if (obj["status"]?["lastHandledReconcileAt"]?.GetValue<string>() == obj.Metadata()!["annotations"]?["reconcile.fluxcd.io/requestedAt"]?.GetValue<string>())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"{name} did not handle the reconcile request");
    }
}
