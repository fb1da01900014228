using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Helm.Charts;
using Weir.Helm.Releases;
using Weir.Runtime.Kube;

namespace Weir.Helm.Tests.Releases;

/// <summary>Release records in Helm's Secret format, written to and read from the embedded API server.</summary>
public sealed class ReleaseStorageTests(EmbeddedCluster cluster) : IClassFixture<EmbeddedCluster>
{
    /// <summary>
    /// A record shaped as Helm 4 marshals <c>release.Release</c> (field names and order from pkg/release/v1 and
    /// pkg/chart/v2; no Helm binary exists here to produce one): nanosecond times with an offset, <c>""</c> for a
    /// hook that never ran, a chart with base64 files.
    /// </summary>
    private const string HelmRecord = """
        {"name":"web","info":{"first_deployed":"2026-03-01T10:00:00.1234567+01:00","last_deployed":"2026-03-02T08:30:00Z","description":"Upgrade complete","status":"deployed","notes":"Visit http://web"},"chart":{"metadata":{"name":"web","version":"1.2.3","description":"A web app","apiVersion":"v2","appVersion":"2.0","type":"application"},"lock":null,"templates":[{"name":"templates/cm.yaml","data":"a2luZDogQ29uZmlnTWFw"}],"values":{"replicas":1},"schema":null,"schemamodtime":"0001-01-01T00:00:00Z","files":[]},"config":{"image":{"tag":"v2"}},"manifest":"---\n# Source: web/templates/cm.yaml\nkind: ConfigMap\n","hooks":[{"name":"web-test","kind":"Pod","path":"web/templates/test.yaml","manifest":"kind: Pod\n","events":["test"],"last_run":{"phase":""},"weight":-5,"delete_policies":["before-hook-creation"]}],"version":2,"namespace":"apps","apply_method":"ssa"}
        """;

    [Fact]
    public void HelmsJsonIsReadAndWrittenBackUnchanged()
    {
        var json = (JsonObject)JsonNode.Parse(HelmRecord)!;

        var release = ReleaseJson.Read(json);

        Assert.Equal(("web", "apps", 2, ReleaseStatus.Deployed), (release.Name, release.Namespace, release.Version, release.Info.Status));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 10, 0, 0, TimeSpan.FromHours(1)).AddTicks(1234567), release.Info.FirstDeployed);
        Assert.Equal(("web", "1.2.3"), (release.ChartName, release.ChartVersion));
        Assert.Equal(-5, release.Hooks[0].Weight);
        Assert.Null(release.Hooks[0].LastRun.StartedAt);
        Assert.True(JsonNode.DeepEquals(json, ReleaseJson.Write(release)), ReleaseJson.Write(release).ToJsonString());
    }

    [Fact]
    public void NanosecondTimesAndEmptyTimesAreRead()
    {
        var json = (JsonObject)JsonNode.Parse("""{"name":"a","info":{"first_deployed":"2026-01-02T03:04:05.123456789Z","deleted":"","status":"uninstalled"},"version":1}""")!;

        var release = ReleaseJson.Read(json);

        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567), release.Info.FirstDeployed);
        Assert.Null(release.Info.Deleted);
    }

    [Fact]
    public async Task ARecordWrittenAsHelmDoesIsReadFromItsSecret()
    {
        await TestNamespaces.EnsureAsync(cluster.Client, "apps");
        var gz = new MemoryStream();
        using (var z = new GZipStream(gz, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            z.Write(Encoding.UTF8.GetBytes(HelmRecord));
        }

        var record = Convert.ToBase64String(gz.ToArray());
        await cluster.Client.CreateAsync(KubeResource.Secret, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject
            {
                ["name"] = "sh.helm.release.v1.web.v2",
                ["namespace"] = "apps",
                ["labels"] = new JsonObject { ["name"] = "web", ["owner"] = "helm", ["status"] = "deployed", ["version"] = "2", ["team"] = "a" },
            },
            ["type"] = "helm.sh/release.v1",
            ["data"] = new JsonObject { ["release"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(record)) },
        });
        var store = new SecretReleaseStore(cluster.Client, "apps");

        var release = await store.DeployedAsync("web");

        Assert.NotNull(release);
        Assert.Equal(("web", 2, "v2"), (release.Name, release.Version, release.Config["image"]!["tag"]!.GetValue<string>()));
        Assert.Equal(new Dictionary<string, string> { ["team"] = "a" }, release.Labels);
    }

    [Fact]
    public async Task RecordsRoundTripThroughSecretsWithHelmsNameTypeAndLabels()
    {
        await TestNamespaces.EnsureAsync(cluster.Client, "store");
        var chart = new ChartLoader().LoadFiles([
            new ChartFile("Chart.yaml", Encoding.UTF8.GetBytes("apiVersion: v2\nname: app\nversion: 0.1.0\n")),
            new ChartFile("values.yaml", Encoding.UTF8.GetBytes("x: 1\n")),
            new ChartFile("templates/cm.yaml", Encoding.UTF8.GetBytes("kind: ConfigMap\n")),
        ]);
        var store = new SecretReleaseStore(cluster.Client, "store");
        var release = new Release
        {
            Name = "app",
            Namespace = "store",
            Version = 1,
            Chart = ReleaseChartJson.Write(chart),
            Config = new JsonObject { ["x"] = 2 },
            Manifest = "---\nkind: ConfigMap\n",
            Info = new ReleaseInfo { Status = ReleaseStatus.PendingInstall, Description = "Initial install underway", FirstDeployed = DateTimeOffset.UtcNow },
        };

        await store.CreateAsync(release);
        await Assert.ThrowsAsync<ReleaseExistsException>(() => store.CreateAsync(release));
        await store.UpdateAsync(release.WithStatus(ReleaseStatus.Deployed, "Install complete"));

        var secret = await cluster.Client.GetAsync(KubeResource.Secret, new ObjectKey("store", "sh.helm.release.v1.app.v1"));
        Assert.NotNull(secret);
        Assert.Equal("helm.sh/release.v1", secret["type"]!.GetValue<string>());
        var labels = secret.Labels();
        Assert.Equal(("app", "helm", "deployed", "1"), (labels["name"], labels["owner"], labels["status"], labels["version"]));
        Assert.True(labels.ContainsKey("modifiedAt"));
        var blob = Convert.FromBase64String(Encoding.ASCII.GetString(Convert.FromBase64String(secret["data"]!["release"]!.GetValue<string>())));
        Assert.Equal(new byte[] { 0x1f, 0x8b, 0x08 }, blob[..3]);
        var read = await store.GetAsync("app", 1);
        Assert.Equal(ReleaseStatus.Deployed, read.Info.Status);
        Assert.True(JsonNode.DeepEquals(ReleaseJson.Write(release.WithStatus(ReleaseStatus.Deployed, "Install complete")), ReleaseJson.Write(read)));
        Assert.Equal(1, read.Chart!["values"]!["x"]!.GetValue<int>());
    }

    [Fact]
    public void AHostileRecordFailsClearly()
    {
        var bomb = new MemoryStream();
        using (var z = new GZipStream(bomb, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var zeros = new byte[1 << 20];
            for (var i = 0; i < 130; i++)
            {
                z.Write(zeros);
            }
        }

        var error = Assert.Throws<FormatException>(() => ReleaseCodec.Decode(Convert.ToBase64String(bomb.ToArray())));
        Assert.Contains("decompresses to more than", error.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => ReleaseCodec.Decode(Convert.ToBase64String("[1]"u8.ToArray())));
    }
}
