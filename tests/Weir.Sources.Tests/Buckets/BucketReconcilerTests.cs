using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Kube;
using Weir.Sources.Tests.OciRepositories;
using Weir.Testing;

namespace Weir.Sources.Tests.Buckets;

/// <summary>Buckets against a real S3-compatible server (npm's s3rver), with the controllers as <c>weir up</c> runs them.</summary>
public sealed class BucketReconcilerTests(SourceControllerHarness harness, S3ServerFixture s3)
    : IClassFixture<SourceControllerHarness>, IClassFixture<S3ServerFixture>
{
    private static readonly KubeResource Bucket = KubeResource.Bucket;

    private static bool IsTrue(JsonObject c) => c["status"]!.GetValue<string>() == "True";

    private static bool IsFalse(JsonObject c) => c["status"]!.GetValue<string>() == "False";

    private static string Message(JsonObject c) => c["message"]!.GetValue<string>();

    private static string Reason(JsonObject c) => c["reason"]!.GetValue<string>();

    [Fact]
    public async Task ObjectsAreStoredWithTheDigestOfTheirEtagIndexAsRevision()
    {
        var objects = new Dictionary<string, string>
        {
            ["deploy/app.yaml"] = "kind: ConfigMap\n",
            ["deploy/base/svc.yaml"] = "kind: Service\n",
            ["logo.png"] = "not filtered: Buckets have no default exclusions",
        };
        await PutAllAsync("fetched", objects);
        await CreateAsync("fetched", "fetched");

        var ready = await harness.WaitForReadyAsync("fetched", IsTrue, resource: Bucket);
        Assert.Equal("Succeeded", Reason(ready));
        Assert.Equal($"stored artifact: revision '{Revision(objects)}'", Message(ready));
        var status = (await harness.GetAsync("fetched", Bucket))["status"]!;
        Assert.Equal(Revision(objects), status["artifact"]!["revision"]!.GetValue<string>());
        Assert.Equal(objects, await SourceControllerHarness.DownloadAsync(status["artifact"]!));
    }

    [Fact]
    public async Task ChangedAddedAndRemovedObjectsMoveTheRevisionAndOnlyThoseAreDownloadedAgain()
    {
        var objects = new Dictionary<string, string> { ["a.yaml"] = "a: 1\n", ["b.yaml"] = "b: 1\n", ["c.yaml"] = "c: 1\n" };
        await PutAllAsync("moving", objects);
        await CreateAsync("moving", "moving");
        await harness.WaitForReadyAsync("moving", c => IsTrue(c) && Message(c).Contains(Revision(objects)), resource: Bucket);
        var first = (await harness.GetAsync("moving", Bucket))["status"]!["artifact"]!.ToJsonString();

        await harness.RequestReconcileAsync("moving", Bucket);
        await harness.WaitForHandledAsync("moving", Bucket);
        Assert.Equal(first, (await harness.GetAsync("moving", Bucket))["status"]!["artifact"]!.ToJsonString());
        Assert.All(objects.Keys, k => Assert.Equal(1, s3.GetsOf("moving", k)));

        objects["b.yaml"] = "b: 2\n";
        objects["d.yaml"] = "d: 1\n";
        objects.Remove("c.yaml");
        await s3.PutAsync("moving", "b.yaml", objects["b.yaml"]);
        await s3.PutAsync("moving", "d.yaml", objects["d.yaml"]);
        await s3.DeleteAsync("moving", "c.yaml");
        await harness.RequestReconcileAsync("moving", Bucket);
        await harness.WaitForReadyAsync("moving", c => IsTrue(c) && Message(c) == $"stored artifact: revision '{Revision(objects)}'", resource: Bucket);

        Assert.Equal(objects, await SourceControllerHarness.DownloadAsync((await harness.GetAsync("moving", Bucket))["status"]!["artifact"]!));
        Assert.Equal(1, s3.GetsOf("moving", "a.yaml"));
        Assert.Equal(2, s3.GetsOf("moving", "b.yaml"));
        Assert.Equal(1, s3.GetsOf("moving", "d.yaml"));
    }

    [Fact]
    public async Task PrefixSourceIgnoreAndSpecIgnoreChooseTheObjects()
    {
        await PutAllAsync("chosen", new Dictionary<string, string>
        {
            [".sourceignore"] = "apps/docs/\n",
            ["apps/app.yaml"] = "kind: ConfigMap\n",
            ["apps/notes.txt"] = "notes\n",
            ["apps/docs/readme.md"] = "docs\n",
            ["other/x.yaml"] = "x: 1\n",
        });
        await CreateAsync("chosen-prefix", "chosen", new JsonObject { ["prefix"] = "apps/" });
        await CreateAsync("chosen-ignore", "chosen", new JsonObject { ["prefix"] = "apps/", ["ignore"] = "*.txt\n" });

        await harness.WaitForReadyAsync("chosen-prefix", IsTrue, resource: Bucket);
        await harness.WaitForReadyAsync("chosen-ignore", IsTrue, resource: Bucket);
        var prefixed = await SourceControllerHarness.DownloadAsync((await harness.GetAsync("chosen-prefix", Bucket))["status"]!["artifact"]!);
        Assert.Equal(["apps/app.yaml", "apps/notes.txt"], prefixed.Keys.Order(StringComparer.Ordinal));
        var status = (await harness.GetAsync("chosen-ignore", Bucket))["status"]!;
        Assert.Equal(["apps/app.yaml"], (await SourceControllerHarness.DownloadAsync(status["artifact"]!)).Keys);
        Assert.Equal("*.txt\n", status["observedIgnore"]!.GetValue<string>());
    }

    [Fact]
    public async Task WrongKeysMissingBucketAndUnreachableEndpointFailWithTheirCause()
    {
        await s3.CreateBucketAsync("guarded");
        // s3rver checks the access key, not SigV4 signatures: the wrong pair has an unknown key.
        await harness.CreateSecretAsync("s3-wrong", ("accesskey", "unknown-access"), ("secretkey", "wrong-secret-4711"));
        await harness.CreateSecretAsync("s3-partial", ("accesskey", s3.AccessKey));
        await CreateAsync("wrong-keys", "guarded", new JsonObject { ["secretRef"] = Ref("s3-wrong") }, secret: null);
        await CreateAsync("partial-keys", "guarded", new JsonObject { ["secretRef"] = Ref("s3-partial") }, secret: null);
        await CreateAsync("no-bucket", "absent-bucket");
        await CreateAsync("unreachable", "guarded", new JsonObject { ["endpoint"] = $"127.0.0.1:{TestEnv.FreePort()}", ["timeout"] = "5s" });

        var wrong = await harness.WaitForReadyAsync("wrong-keys", IsFalse, resource: Bucket);
        Assert.Equal("BucketOperationFailed", Reason(wrong));
        Assert.Equal("failed to confirm existence of 'guarded' bucket: Access Denied.", Message(wrong));
        Assert.DoesNotContain("wrong-secret-4711", await harness.EverythingAboutAsync(Bucket, "wrong-keys"));

        var partial = await harness.WaitForReadyAsync("partial-keys", IsFalse, resource: Bucket);
        Assert.Equal("AuthenticationFailed", Reason(partial));
        Assert.Equal("invalid 's3-partial' secret data: required fields 'accesskey' and 'secretkey'", Message(partial));

        var missing = await harness.WaitForReadyAsync("no-bucket", IsFalse, resource: Bucket);
        Assert.Equal("BucketOperationFailed", Reason(missing));
        Assert.Equal("bucket 'absent-bucket' not found", Message(missing));

        var down = await harness.WaitForReadyAsync("unreachable", IsFalse, resource: Bucket);
        Assert.StartsWith("failed to confirm existence of 'guarded' bucket: ", Message(down));
        Assert.Contains("refused", Message(down));
        Assert.Null((await harness.GetAsync("unreachable", Bucket))["status"]!["artifact"]);
    }

    [Fact]
    public async Task ProvidersOtherThanGenericAndAwsStallWithAClearMessage()
    {
        await CreateAsync("on-gcp", "anything", new JsonObject { ["provider"] = "gcp" });
        var failed = await harness.WaitForReadyAsync("on-gcp", IsFalse, resource: Bucket);
        Assert.Equal("UnsupportedConfiguration", Reason(failed));
        Assert.Equal("Weir does not support the 'gcp' provider (only 'generic' and 'aws' with static keys are) for Buckets yet", Message(failed));
        var conditions = (await harness.GetAsync("on-gcp", Bucket))["status"]!["conditions"]!.AsArray();
        Assert.Contains(conditions, c => c!["type"]!.GetValue<string>() == "Stalled" && c["status"]!.GetValue<string>() == "True");
    }

    [Fact]
    public async Task AKustomizationAppliesWhatItsBucketHolds()
    {
        await harness.Client.CreateAsync(KubeResource.Namespace, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = "bucket-e2e" },
        });
        var objects = new Dictionary<string, string>
        {
            ["apps/kustomization.yaml"] = "resources:\n- settings.yaml\n",
            ["apps/settings.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: bucket-e2e\ndata:\n  value: from-bucket\n",
        };
        await PutAllAsync("e2e", objects);
        await CreateAsync("e2e", "e2e");
        await harness.Client.CreateAsync(KubeResource.Kustomization, new JsonObject
        {
            ["apiVersion"] = "kustomize.toolkit.fluxcd.io/v1",
            ["kind"] = "Kustomization",
            ["metadata"] = new JsonObject { ["name"] = "bucket-e2e", ["namespace"] = "flux-system" },
            ["spec"] = new JsonObject
            {
                ["interval"] = "10m",
                ["prune"] = true,
                ["path"] = "./apps",
                ["sourceRef"] = new JsonObject { ["kind"] = "Bucket", ["name"] = "e2e" },
            },
        });

        var applied = await harness.WaitForReadyAsync(KubeResource.Kustomization, "bucket-e2e", IsTrue);
        Assert.Equal($"Applied revision: {Revision(objects)}", Message(applied));
        var map = await harness.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey("bucket-e2e", "settings"));
        Assert.Equal("from-bucket", map!["data"]!["value"]!.GetValue<string>());
    }

    [Fact]
    public async Task KubectlGetBucketShowsReadyAndTheReadyMessage()
    {
        var objects = new Dictionary<string, string> { ["app.yaml"] = "a: 1\n" };
        await PutAllAsync("listed", objects);
        await CreateAsync("listed", "listed");
        await harness.WaitForReadyAsync("listed", IsTrue, resource: Bucket);

        var (code, output, error) = await Kubectl.RunAsync(harness.Kubeconfig, 32, "get", "bucket", "listed", "-n", "flux-system");
        Assert.True(code == 0, error);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Matches(@"^NAME\s+ENDPOINT\s+AGE\s+READY\s+STATUS$", lines[0]);
        Assert.Matches($@"^listed\s+\S+\s+\d+s\s+True\s+stored artifact: revision '{Revision(objects)}'$", lines[1]);
    }

    // Flux's revision, computed here from the content: sha256 over "key etag\n" in key order, etag = MD5 of the object.
    private static string Revision(IReadOnlyDictionary<string, string> objects)
    {
        var text = string.Concat(objects.Keys.Order(StringComparer.Ordinal)
            .Select(k => $"{k} {Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(objects[k])))}\n"));
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private static JsonObject Ref(string name) => new() { ["name"] = name };

    private async Task PutAllAsync(string bucket, IReadOnlyDictionary<string, string> objects)
    {
        await s3.CreateBucketAsync(bucket);
        foreach (var (key, content) in objects)
        {
            await s3.PutAsync(bucket, key, content);
        }
    }

    private async Task CreateAsync(string name, string bucketName, JsonObject? extra = null, string? secret = "s3-keys")
    {
        if (secret is not null && await harness.Client.GetAsync(KubeResource.Secret, new ObjectKey("flux-system", secret)) is null)
        {
            await harness.CreateSecretAsync(secret, ("accesskey", s3.AccessKey), ("secretkey", s3.SecretKey));
        }

        var spec = new JsonObject { ["endpoint"] = s3.Endpoint, ["bucketName"] = bucketName, ["insecure"] = true, ["interval"] = "10m" };
        if (secret is not null)
        {
            spec["secretRef"] = Ref(secret);
        }

        foreach (var (k, v) in extra ?? [])
        {
            spec[k] = v?.DeepClone();
        }

        await harness.Client.CreateAsync(Bucket, new JsonObject
        {
            ["apiVersion"] = "source.toolkit.fluxcd.io/v1",
            ["kind"] = "Bucket",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "flux-system" },
            ["spec"] = spec,
        });
    }
}
