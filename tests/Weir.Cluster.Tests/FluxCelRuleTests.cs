using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Weir.Core.Yaml;

namespace Weir.Cluster.Tests;

/// <summary>
/// The <c>x-kubernetes-validations</c> rules of Flux's reference CRDs enforced by the embedded server, checked with
/// real kubectl: every rule has an object that breaks it, and kubectl prints the API server's message for it
/// (<c>The Kind "name" is invalid: PATH: Invalid value: "object": MESSAGE</c>, the message read from the CRD);
/// valid objects pass. Weir's own CRDs reject the same objects at the same paths.
/// </summary>
public sealed class FluxCelRuleTests(FluxCrdsFixture flux, WeirCrdsFixture weir) : IClassFixture<FluxCrdsFixture>, IClassFixture<WeirCrdsFixture>
{
    /// <summary>An object of <paramref name="Kind"/> breaking rule <paramref name="Index"/> of the schema node at <paramref name="Path"/>.</summary>
    public sealed record Violation(string Kind, string Path, int Index, string Spec);

    private static readonly Dictionary<string, string> ApiVersions = new()
    {
        ["HelmRelease"] = "helm.toolkit.fluxcd.io/v2",
        ["Kustomization"] = "kustomize.toolkit.fluxcd.io/v1",
        ["Bucket"] = "source.toolkit.fluxcd.io/v1",
        ["GitRepository"] = "source.toolkit.fluxcd.io/v1",
        ["HelmChart"] = "source.toolkit.fluxcd.io/v1",
        ["OCIRepository"] = "source.toolkit.fluxcd.io/v1",
    };

    /// <summary>A valid spec of each kind; every violation changes one.</summary>
    private static readonly Dictionary<string, string> ValidSpecs = new()
    {
        ["HelmRelease"] = """{"interval":"5m","chart":{"spec":{"chart":"podinfo","sourceRef":{"kind":"HelmRepository","name":"podinfo"}}}}""",
        ["Kustomization"] = """{"interval":"10m","prune":true,"sourceRef":{"kind":"GitRepository","name":"repo"}}""",
        ["Bucket"] = """{"bucketName":"b","endpoint":"minio:9000","interval":"5m"}""",
        ["GitRepository"] = """{"interval":"1m","url":"https://github.com/org/repo"}""",
        ["HelmChart"] = """{"chart":"podinfo","interval":"5m","sourceRef":{"kind":"HelmRepository","name":"podinfo"},"verify":{}}""",
        ["OCIRepository"] = """{"interval":"5m","url":"oci://ghcr.io/org/app","ref":{"tag":"v1"}}""",
    };

    public static readonly Violation[] Violations =
    [
        new("HelmRelease", "spec", 0, """{"interval":"5m","chart":{"spec":{"chart":"podinfo","sourceRef":{"kind":"HelmRepository","name":"podinfo"}}},"chartRef":{"kind":"OCIRepository","name":"podinfo"}}"""),
        new("HelmRelease", "spec.install.strategy", 0, """{"interval":"5m","chartRef":{"kind":"OCIRepository","name":"podinfo"},"install":{"strategy":{"name":"RemediateOnFailure","retryInterval":"1m"}}}"""),
        new("HelmRelease", "spec.upgrade.strategy", 0, """{"interval":"5m","chartRef":{"kind":"OCIRepository","name":"podinfo"},"upgrade":{"strategy":{"name":"RemediateOnFailure","retryInterval":"1m"}}}"""),
        new("HelmRelease", "spec.kubeConfig", 0, """{"interval":"5m","chartRef":{"kind":"OCIRepository","name":"podinfo"},"kubeConfig":{}}"""),
        new("HelmRelease", "spec.kubeConfig", 1, """{"interval":"5m","chartRef":{"kind":"OCIRepository","name":"podinfo"},"kubeConfig":{"secretRef":{"name":"a"},"configMapRef":{"name":"b"}}}"""),
        new("Kustomization", "spec.kubeConfig", 0, """{"interval":"10m","prune":true,"sourceRef":{"kind":"GitRepository","name":"repo"},"kubeConfig":{}}"""),
        new("Kustomization", "spec.kubeConfig", 1, """{"interval":"10m","prune":true,"sourceRef":{"kind":"GitRepository","name":"repo"},"kubeConfig":{"secretRef":{"name":"a"},"configMapRef":{"name":"b"}}}"""),
        new("Bucket", "spec", 0, """{"bucketName":"b","endpoint":"minio:9000","interval":"5m","provider":"gcp","sts":{"provider":"aws","endpoint":"https://sts.amazonaws.com"}}"""),
        new("Bucket", "spec", 1, """{"bucketName":"b","endpoint":"minio:9000","interval":"5m","provider":"aws","sts":{"provider":"ldap","endpoint":"https://ldap.example.com"}}"""),
        new("Bucket", "spec", 2, """{"bucketName":"b","endpoint":"minio:9000","interval":"5m","sts":{"provider":"aws","endpoint":"https://sts.amazonaws.com"}}"""),
        new("Bucket", "spec", 3, """{"bucketName":"b","endpoint":"minio:9000","interval":"5m","provider":"aws","sts":{"provider":"aws","endpoint":"https://sts.amazonaws.com","secretRef":{"name":"s"}}}"""),
        new("Bucket", "spec", 4, """{"bucketName":"b","endpoint":"minio:9000","interval":"5m","provider":"aws","sts":{"provider":"aws","endpoint":"https://sts.amazonaws.com","certSecretRef":{"name":"s"}}}"""),
        new("Bucket", "spec", 5, """{"bucketName":"b","endpoint":"minio:9000","interval":"5m","serviceAccountName":"sa"}"""),
        new("Bucket", "spec", 6, """{"bucketName":"b","endpoint":"minio:9000","interval":"5m","provider":"aws","secretRef":{"name":"s"},"serviceAccountName":"sa"}"""),
        new("GitRepository", "spec", 0, """{"interval":"1m","url":"https://github.com/org/repo","serviceAccountName":"sa"}"""),
        new("HelmChart", "spec", 0, """{"chart":"podinfo","interval":"5m","sourceRef":{"kind":"GitRepository","name":"repo"},"verify":{}}"""),
    ];

    public static TheoryData<int> Minors() => [.. Weir.Testing.Kubectl.Minors];

    /// <summary>Every rule in the reference CRDs, by kind, instance path of its schema node and index there.</summary>
    private static List<(string Kind, string Path, int Index, string Message)> ReferenceRules()
    {
        var rules = new List<(string, string, int, string)>();
        foreach (var file in Directory.GetFiles(FluxCrdsFixture.Directory, "*.yaml"))
        {
            var crd = KubeYaml.ParseAll(File.ReadAllText(file)).Single()!.AsObject();
            var kind = crd["spec"]!["names"]!["kind"]!.GetValue<string>();
            foreach (var version in crd["spec"]!["versions"]!.AsArray())
            {
                Collect(kind, version!["schema"]!["openAPIV3Schema"]!.AsObject(), "", rules);
            }
        }

        return rules;
    }

    private static void Collect(string kind, JsonObject schema, string path, List<(string, string, int, string)> rules)
    {
        var validations = schema["x-kubernetes-validations"] as JsonArray ?? [];
        for (var i = 0; i < validations.Count; i++)
        {
            rules.Add((kind, path, i, validations[i]!["message"]!.GetValue<string>().Trim()));
        }

        foreach (var (name, child) in schema["properties"] as JsonObject ?? [])
        {
            Collect(kind, child!.AsObject(), path.Length == 0 ? name : $"{path}.{name}", rules);
        }

        if (schema["items"] is JsonObject items)
        {
            Collect(kind, items, path + "[0]", rules);
        }
    }

    private static string Write(Kubectl k, string kind, string name, string spec)
    {
        var file = Path.Combine(k.WorkDir, $"{name}.json");
        File.WriteAllText(file, $$"""{"apiVersion":"{{ApiVersions[kind]}}","kind":"{{kind}}","metadata":{"name":"{{name}}","namespace":"flux-system"},"spec":{{spec}}}""");
        return file;
    }

    [Fact]
    public void EveryRuleOfTheReferenceCrdsHasAViolation()
    {
        var rules = ReferenceRules().Select(r => (r.Kind, r.Path, r.Index)).Order().ToList();
        Assert.True(rules.Count >= 16, $"only {rules.Count} rules found in {FluxCrdsFixture.Directory}");
        Assert.Equal(rules, Violations.Select(v => (v.Kind, v.Path, v.Index)).Order().ToList());
    }

    [Fact]
    public void WeirsCrdsCarryAsManyRulesAsFluxsAtTheSamePlaces()
    {
        // Kinds whose Flux CRD the reference holds (not yet notification-controller's and source-watcher's).
        var weirKinds = Weir.Core.Api.Crds.CrdCatalog.Descriptors
            .Where(d => File.Exists(Path.Combine(FluxCrdsFixture.Directory, $"{d.Group}_{d.Plural}.yaml")))
            .Select(d => d.Kind).ToHashSet();
        var fluxPlaces = ReferenceRules().Where(r => weirKinds.Contains(r.Kind))
            .GroupBy(r => (r.Kind, r.Path)).Select(g => $"{g.Key.Kind} {g.Key.Path} x{g.Count()}").Order().ToList();
        var weirRules = new List<(string, string, int, string)>();
        foreach (var kind in weirKinds)
        {
            Collect(kind, WeirCrdsFixture.Schema(kind), "", weirRules);
        }

        Assert.Equal(fluxPlaces, weirRules.GroupBy(r => (r.Item1, r.Item2)).Select(g => $"{g.Key.Item1} {g.Key.Item2} x{g.Count()}").Order().ToList());
    }

    [Theory]
    [MemberData(nameof(Minors))]
    public async Task KubectlPrintsTheApiServersMessageForEveryFluxRule(int minor)
    {
        var k = flux.Kubectl(minor);
        var messages = ReferenceRules().ToDictionary(r => (r.Kind, r.Path, r.Index), r => r.Message);
        for (var i = 0; i < Violations.Length; i++)
        {
            var v = Violations[i];
            var name = $"bad-{i}-{minor}";
            var result = await k.RunAsync("create", "-f", Write(k, v.Kind, name, v.Spec));
            Assert.Equal(1, result.ExitCode);
            Assert.Equal($"The {v.Kind} \"{name}\" is invalid: {v.Path}: Invalid value: \"object\": {messages[(v.Kind, v.Path, v.Index)]}\n", result.Stderr);
        }

        foreach (var (kind, spec) in ValidSpecs)
        {
            var name = $"good-{kind.ToLowerInvariant()}-{minor}";
            Assert.Contains("created", await k.OkAsync("create", "-f", Write(k, kind, name, spec)));
        }
    }

    [Fact]
    public async Task RulesHoldOnApplyServerSideApplyPatchAndReplace()
    {
        var k = flux.Kubectl();
        var messages = ReferenceRules().ToDictionary(r => (r.Kind, r.Path, r.Index), r => r.Message);
        string Expected(Violation v, string name) => $"The {v.Kind} \"{name}\" is invalid: {v.Path}: Invalid value: \"object\": {messages[(v.Kind, v.Path, v.Index)]}\n";

        var hr = Violations[0];
        var applied = await k.RunAsync("apply", "-f", Write(k, hr.Kind, "applied", hr.Spec));
        Assert.Equal(Expected(hr, "applied"), applied.Stderr);

        var ks = Violations[5];
        var serverSide = await k.RunAsync("apply", "--server-side", "-f", Write(k, ks.Kind, "ssa", ks.Spec));
        Assert.Equal(Expected(ks, "ssa"), serverSide.Stderr);

        var bucket = Violations[12];
        await k.OkAsync("create", "-f", Write(k, "Bucket", "patched", ValidSpecs["Bucket"]));
        var merge = await k.RunAsync("patch", "bucket", "patched", "-n", "flux-system", "--type=merge", "-p", """{"spec":{"serviceAccountName":"sa"}}""");
        Assert.Equal(Expected(bucket, "patched"), merge.Stderr);
        var json = await k.RunAsync("patch", "bucket", "patched", "-n", "flux-system", "--type=json", "-p", """[{"op":"add","path":"/spec/serviceAccountName","value":"sa"}]""");
        Assert.Equal(Expected(bucket, "patched"), json.Stderr);

        var git = Violations[14];
        await k.OkAsync("create", "-f", Write(k, "GitRepository", "replaced", ValidSpecs["GitRepository"]));
        var replace = await k.RunAsync("replace", "-f", Write(k, git.Kind, "replaced", git.Spec));
        Assert.Equal(Expected(git, "replaced"), replace.Stderr);
        Assert.Equal("", await k.OkAsync("get", "gitrepository", "replaced", "-n", "flux-system", "-o", "jsonpath={.spec.serviceAccountName}"));
    }

    [Fact]
    public async Task WeirsCrdsRejectEveryViolationAtTheSamePath()
    {
        var k = weir.Kubectl();
        for (var i = 0; i < Violations.Length; i++)
        {
            var v = Violations[i];
            var name = $"bad-{i}";
            var result = await k.RunAsync("create", "-f", Write(k, v.Kind, name, v.Spec));
            var match = Regex.Match(result.Stderr, $"^The {v.Kind} \"{name}\" is invalid: {Regex.Escape(v.Path)}: Invalid value: \"object\": (?<message>.+)\n$");
            Assert.True(match.Success, $"{v.Kind} {v.Path}[{v.Index}]: {result}");
            Assert.Contains(match.Groups["message"].Value, WeirMessages(v.Kind, v.Path));
        }

        foreach (var (kind, spec) in ValidSpecs)
        {
            Assert.Contains("created", await k.OkAsync("create", "-f", Write(k, kind, $"good-{kind.ToLowerInvariant()}", spec)));
        }
    }

    [Theory]
    [InlineData("""{"interval":"5m","url":"https://ghcr.io/org/app"}""")]
    [InlineData("""{"interval":"5 minutes","url":"oci://ghcr.io/org/app"}""")]
    [InlineData("""{"interval":"5m","url":"oci://ghcr.io/org/app","provider":"docker"}""")]
    [InlineData("""{"url":"oci://ghcr.io/org/app"}""")]
    public async Task WeirsOciRepositorySchemaRejectsWhatFluxsRejectsWithTheSameMessage(string spec)
    {
        var f = flux.Kubectl();
        var fromFlux = await f.RunAsync("create", "-f", Write(f, "OCIRepository", "oci", spec));
        var k = weir.Kubectl();
        var fromWeir = await k.RunAsync("create", "-f", Write(k, "OCIRepository", "oci", spec));
        Assert.Equal(1, fromFlux.ExitCode);
        Assert.Equal(fromFlux.Stderr, fromWeir.Stderr);
    }

    private static List<string> WeirMessages(string kind, string path)
    {
        JsonNode? node = WeirCrdsFixture.Schema(kind);
        foreach (var part in path.Split('.'))
        {
            node = node?["properties"]?[part];
        }

        return [.. (node?["x-kubernetes-validations"] as JsonArray ?? []).Select(r => r!["message"]!.GetValue<string>())];
    }
}
