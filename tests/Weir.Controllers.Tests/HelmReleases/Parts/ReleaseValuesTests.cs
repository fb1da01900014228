using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Weir.Controllers.HelmReleases.Values;
using Weir.Core.Api.Helm;
using Weir.Core.Api.Meta;
using Weir.Templates.Formatting;
using Weir.Templates.Values;
using Weir.Testing;

namespace Weir.Controllers.Tests.HelmReleases.Parts;

/// <summary>valuesFrom and values composed from ConfigMaps and Secrets on the embedded API server (real KubernetesClient).</summary>
public sealed class ReleaseValuesTests(EmbeddedCluster cluster) : IClassFixture<EmbeddedCluster>
{
    private static ValuesReference Ref(string kind, string name, string? key = null, string? targetPath = null, bool optional = false, bool literal = false) =>
        new() { Kind = kind, Name = name, ValuesKey = key, TargetPath = targetPath, Optional = optional ? true : null, Literal = literal ? true : null };

    private static HelmRelease Release(string ns, string? inline, params ValuesReference[] refs) => new()
    {
        Metadata = new ObjectMeta { Name = "app", Namespace = ns },
        Spec = new HelmReleaseSpec
        {
            ValuesFrom = refs,
            Values = inline is null ? null : JsonDocument.Parse(inline).RootElement.Clone(),
        },
    };

    private static string Json(GoMap values) => GoJson.Marshal(Value.Map(values));

    [Fact]
    public async Task ReferencesMergeDeeplyInOrderThenInlineValuesOnTop()
    {
        const string ns = "values-order";
        await ClusterObjects.NamespaceAsync(cluster.Client, ns);
        await ClusterObjects.ConfigMapAsync(cluster.Client, ns, "base", ("values.yaml", "image:\n  repo: nginx\n  tag: '1.0'\nreplicas: 1\nlist: [1, 2]\n"));
        await ClusterObjects.SecretAsync(cluster.Client, ns, "creds", ("custom.yaml", "image:\n  tag: '2.0'\n  pullSecret: s\nlist: [3]\n"));
        var release = Release(ns, """{"image":{"pullSecret":"inline"},"extra":true}""", Ref("ConfigMap", "base"), Ref("Secret", "creds", key: "custom.yaml"));

        var composed = await new ReleaseValues(cluster.Client).ComposeAsync(release);

        Assert.Equal("""{"extra":true,"image":{"pullSecret":"inline","repo":"nginx","tag":"2.0"},"list":[3],"replicas":1}""", Json(composed.Values));
        Assert.Equal([new ValuesSource("ConfigMap", ns, "base"), new ValuesSource("Secret", ns, "creds")], composed.Sources);
        Assert.Equal(ConfigDigest.Of(composed.Values), composed.ConfigDigest);
    }

    [Fact]
    public async Task TargetPathSetsAValueWithHelmsSetSyntaxAndWinsOverInlineValues()
    {
        const string ns = "values-target";
        await ClusterObjects.NamespaceAsync(cluster.Client, ns);
        await ClusterObjects.ConfigMapAsync(cluster.Client, ns, "parts",
            ("replicas", "3"), ("quoted", "'007'"), ("plain", "42"), ("literal", "a,b[0]{c}\\d"), ("list", "{x,y}"));
        var release = Release(ns, """{"deploy":{"replicas":1,"name":"web"}}""",
            Ref("ConfigMap", "parts", key: "replicas", targetPath: "deploy.replicas"),
            Ref("ConfigMap", "parts", key: "quoted", targetPath: "ids.quoted"),
            Ref("ConfigMap", "parts", key: "plain", targetPath: "ids.plain"),
            Ref("ConfigMap", "parts", key: "literal", targetPath: "config\\.txt", literal: true),
            Ref("ConfigMap", "parts", key: "list", targetPath: "items[1]"));

        var composed = await new ReleaseValues(cluster.Client).ComposeAsync(release);

        Assert.Equal("""{"config.txt":"a,b[0]{c}\\d","deploy":{"name":"web","replicas":3},"ids":{"plain":42,"quoted":"007"},"items":[null,["x","y"]]}""",
            Json(composed.Values));
    }

    [Fact]
    public async Task OptionalReferencesToMissingObjectsOrKeysAreSkipped()
    {
        const string ns = "values-optional";
        await ClusterObjects.NamespaceAsync(cluster.Client, ns);
        await ClusterObjects.ConfigMapAsync(cluster.Client, ns, "present", ("values.yaml", "a: 1\n"));
        var release = Release(ns, null,
            Ref("ConfigMap", "present"),
            Ref("Secret", "absent", optional: true),
            Ref("ConfigMap", "present", key: "other.yaml", optional: true),
            Ref("Secret", "absent", targetPath: "b", optional: true));

        var composed = await new ReleaseValues(cluster.Client).ComposeAsync(release);

        Assert.Equal("""{"a":1}""", Json(composed.Values));
    }

    [Fact]
    public async Task UnresolvableReferencesFailWithFluxsMessagesAndNoSecretData()
    {
        const string ns = "values-errors";
        await ClusterObjects.NamespaceAsync(cluster.Client, ns);
        await ClusterObjects.ConfigMapAsync(cluster.Client, ns, "cm", ("values.yaml", "a: 1\n"), ("broken.yaml", "a: [1\n"), ("list.yaml", "- 1\n"));
        await ClusterObjects.SecretAsync(cluster.Client, ns, "sec", ("values.yaml", "password: s3cr3t-value\n  indent: [s3cr3t-value\n"));
        var values = new ReleaseValues(cluster.Client);

        async Task<string> Error(params ValuesReference[] refs) =>
            (await Assert.ThrowsAsync<ValuesReferenceException>(() => values.ComposeAsync(Release(ns, null, refs)))).Message;

        Assert.Equal($"could not resolve Secret chart values reference '{ns}/missing' with key 'values.yaml': secrets \"missing\" not found",
            await Error(Ref("Secret", "missing")));
        Assert.Equal($"could not resolve ConfigMap chart values reference '{ns}/missing' with key 'v.yaml': configmaps \"missing\" not found",
            await Error(Ref("ConfigMap", "missing", key: "v.yaml")));
        Assert.Equal($"could not resolve ConfigMap chart values reference '{ns}/cm' with key 'nope': key not found", await Error(Ref("ConfigMap", "cm", key: "nope")));
        Assert.Equal($"could not resolve Secret chart values reference '{ns}/missing' with key 'values.yaml': resource not found",
            await Error(Ref("Secret", "missing", optional: true), Ref("Secret", "missing")));
        Assert.StartsWith($"could not resolve ConfigMap chart values reference '{ns}/cm' with key 'broken.yaml': ", await Error(Ref("ConfigMap", "cm", key: "broken.yaml")));
        Assert.StartsWith($"could not resolve ConfigMap chart values reference '{ns}/cm' with key 'list.yaml': ", await Error(Ref("ConfigMap", "cm", key: "list.yaml")));
        var secretError = await Error(Ref("Secret", "sec"));
        Assert.StartsWith($"could not resolve Secret chart values reference '{ns}/sec' with key 'values.yaml': ", secretError);
        Assert.DoesNotContain("s3cr3t", secretError, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigDigestIsTheSha256OfGoYamlWithSortedKeys()
    {
        var data = JsonNode.Parse("""
            {"zeta":{"b":[1,2.5,"x",{"k":null}],"a":true},"Alpha":"text: with colon","beta":{"empty":{},"list":[]},"num":1000000,"neg":-3,"s":"123"}
            """)!;
        var values = GoValues.FromJson(data).AsMap;
        var (goYaml, error) = GoOracle.Templates(["{{ toYaml . }}"], "helm", data).Single();
        Assert.Null(error);

        Assert.Equal(goYaml + "\n", ConfigDigest.Yaml(values));
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(goYaml + "\n"))), ConfigDigest.Of(values));
        Assert.Equal("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", ConfigDigest.Of(new GoMap()));
    }
}
