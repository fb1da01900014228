using System.Diagnostics;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Core.Yaml;
using Weir.Testing;

namespace Weir.Cli.Tests.Verbs;

/// <summary>
/// <c>weir build</c> and <c>weir diff</c> run the controller's own build and the applier's own diff: against a real
/// <c>weir up</c>, the Kustomization controller applies a pushed directory, then the CLI builds and diffs the same
/// directory and must agree with what the controller applied.
/// </summary>
public sealed class BuildDiffParityTests : IAsyncLifetime
{
    private const string Ns = "flux-system";
    private readonly string _dataDir = TestEnv.TempDir("weir-cli-parity-");
    private readonly string _work = TestEnv.TempDir("weir-cli-parity-work-");
    private WeirUpProcess? _up;

    private string Kubeconfig => Path.Combine(_dataDir, "kubeconfig");

    private string AppDir => Path.Combine(_work, "app");

    public async Task InitializeAsync()
    {
        _up = await WeirUpProcess.StartAsync(_dataDir, []);
        var started = Stopwatch.StartNew();
        while (!File.Exists(Kubeconfig) && started.Elapsed < TimeSpan.FromSeconds(30))
        {
            Assert.False(_up.HasExited, "weir up exited:\n" + _up.Output);
            await Task.Delay(100);
        }
    }

    public Task DisposeAsync()
    {
        _up?.Dispose();
        Directory.Delete(_dataDir, recursive: true);
        Directory.Delete(_work, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task BuildPrintsWhatTheControllerAppliedAndDiffFindsNoDrift()
    {
        WriteApp();
        var push = await WeirRun.RunAsync(Kubeconfig, "push", "artifact", $"oci://127.0.0.1:{_up!.RegistryPort}/parity/app:v1.0.0", "--path", AppDir, "--insecure");
        Assert.True(push.Code == 0, push.Err);
        var manifests = Path.Combine(_work, "flux.yaml");
        await File.WriteAllTextAsync(manifests, FluxManifests(_up.RegistryPort));
        var (code, _, err) = await Kubectl.RunAsync(Kubeconfig, 32, "apply", "-f", manifests);
        Assert.True(code == 0, err);
        var kustomization = await ReadyAsync(TimeSpan.FromSeconds(90));

        var build = await WeirRun.RunAsync(Kubeconfig, "build", "ks", "parity", "-n", Ns, "--path", AppDir);
        Assert.True(build.Code == 0, build.Err);
        var built = KubeYaml.ParseAll(build.Out).OfType<JsonObject>().ToList();

        // The same objects as the controller's inventory...
        var inventory = (kustomization["status"]!["inventory"]!["entries"] as JsonArray)!.Select(e => e!["id"]!.GetValue<string>()).Order();
        Assert.Equal(inventory, built.Select(o => $"{o.Namespace()}_{o.Name()}_{o.Gvk().Group}_{o.Kind()}").Order());
        Assert.Equal(["pre-extra", "pre-web"], built.Select(o => o.Name()).Order());

        // ...with the same content as the applied ones (the server adds defaults and status, nothing else differs).
        foreach (var obj in built)
        {
            var (getCode, live, getErr) = await Kubectl.RunAsync(Kubeconfig, 32, "get", obj.Kind(), obj.Name(), "-n", obj.Namespace(), "-o", "json");
            Assert.True(getCode == 0, getErr);
            AssertContained(obj, JsonNode.Parse(live)!, obj.Kind());
        }

        var web = built.Single(o => o.Kind() == "Deployment");
        Assert.Equal("a", web.Label("team"));
        Assert.Equal("b", web.Annotation("owner"));
        // commonMetadata is set after the build, as Flux does: it never reaches the pod template.
        Assert.Null(web["spec"]!["template"]!["metadata"]!["annotations"]);
        Assert.Null(web["spec"]!["template"]!["metadata"]!["labels"]!["team"]);
        Assert.Equal(2L, web["spec"]!["replicas"]!.GetValue<long>());
        var container = web["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("nginx:1.25", container["image"]!.GetValue<string>());
        Assert.Equal("hello", container["env"]![0]!["value"]!.GetValue<string>());
        Assert.Equal("blue", built.Single(o => o.Kind() == "ConfigMap")["data"]!["color"]!.GetValue<string>());

        var diff = await WeirRun.RunAsync(Kubeconfig, "diff", "ks", "parity", "-n", Ns, "--path", AppDir);
        Assert.True(diff.Code == 0, diff.Out + diff.Err);
        Assert.Equal("", diff.Out);
    }

    /// <summary>Every field of <paramref name="expected"/> is in <paramref name="actual"/> with the same value.</summary>
    private static void AssertContained(JsonNode? expected, JsonNode? actual, string path)
    {
        if (expected is JsonObject e)
        {
            var a = Assert.IsType<JsonObject>(actual);
            foreach (var (key, value) in e)
            {
                AssertContained(value, a[key], $"{path}.{key}");
            }

            return;
        }

        if (expected is JsonArray ea)
        {
            var aa = Assert.IsType<JsonArray>(actual);
            Assert.True(ea.Count == aa.Count, $"{path}: {ea.ToJsonString()} vs {aa.ToJsonString()}");
            for (var i = 0; i < ea.Count; i++)
            {
                AssertContained(ea[i], aa[i], $"{path}.{i}");
            }

            return;
        }

        Assert.True(JsonNode.DeepEquals(expected, actual), $"{path}: built {expected?.ToJsonString()}, applied {actual?.ToJsonString()}");
    }

    private async Task<JsonObject> ReadyAsync(TimeSpan limit)
    {
        var started = Stopwatch.StartNew();
        var last = "";
        while (started.Elapsed < limit)
        {
            Assert.False(_up!.HasExited, "weir up exited:\n" + _up.Output);
            var (code, stdout, _) = await Kubectl.RunAsync(Kubeconfig, 32, "get", "kustomization", "parity", "-n", Ns, "-o", "json");
            if (code == 0 && JsonNode.Parse(stdout) is JsonObject ks)
            {
                var ready = (ks["status"]?["conditions"] as JsonArray ?? []).FirstOrDefault(c => c?["type"]?.GetValue<string>() == "Ready");
                last = ready?.ToJsonString() ?? "no Ready condition";
                if (ready?["status"]?.GetValue<string>() == "True")
                {
                    return ks;
                }
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Kustomization not Ready within {limit}: {last}\n{_up!.Output}");
    }

    private void WriteApp()
    {
        void Write(string relative, string text)
        {
            var file = Path.Combine(AppDir, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllText(file, text);
        }

        Write("kustomization.yaml", "resources:\n- web.yaml\n");
        Write("web.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
              namespace: default
            spec:
              replicas: 1
              selector:
                matchLabels: {app: web}
              template:
                metadata:
                  labels: {app: web}
                spec:
                  containers:
                  - name: web
                    image: nginx:1.0
                    env:
                    - name: GREETING
                      value: ${greeting:=hello}
            """);
        Write("components/extra/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- cm.yaml\n");
        Write("components/extra/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: default\ndata:\n  color: ${color}\n");
    }

    /// <summary>The source, the ConfigMap of variables and a Kustomization using every build feature of the spec.</summary>
    private static string FluxManifests(int registryPort) => $$"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: parity-vars
          namespace: {{Ns}}
        data:
          color: blue
        ---
        apiVersion: source.toolkit.fluxcd.io/v1
        kind: OCIRepository
        metadata:
          name: parity
          namespace: {{Ns}}
        spec:
          url: oci://127.0.0.1:{{registryPort}}/parity/app
          interval: 1m
          insecure: true
          ref:
            tag: v1.0.0
        ---
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: parity
          namespace: {{Ns}}
        spec:
          interval: 10m
          path: ./
          prune: true
          sourceRef:
            kind: OCIRepository
            name: parity
          namePrefix: pre-
          commonMetadata:
            labels:
              team: a
            annotations:
              owner: b
          components:
          - components/extra
          images:
          - name: nginx
            newTag: "1.25"
          patches:
          - target:
              kind: Deployment
            patch: |
              - op: replace
                path: /spec/replicas
                value: 2
          postBuild:
            substituteStrategy: Always
            substituteFrom:
            - kind: ConfigMap
              name: parity-vars
        """;
}
