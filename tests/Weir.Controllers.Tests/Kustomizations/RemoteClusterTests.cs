using System.Text;
using System.Text.Json.Nodes;
using Weir.Controllers.Kustomizations;
using Weir.Core.Api.Meta;
using Weir.Core.Objects;
using Weir.Runtime.Kube;
using Weir.Runtime.Remote;
using Weir.Testing;
using static Weir.Controllers.Tests.Kustomizations.KustomizeControllerHarness;
using static Weir.Testing.StatusConditions;

namespace Weir.Controllers.Tests.Kustomizations;

/// <summary>
/// <c>spec.kubeConfig</c>: the controllers run against one embedded cluster (local) and apply to a second one
/// (remote), reached through a kubeconfig in a local Secret or a generic-provider ConfigMap.
/// </summary>
public sealed class RemoteClusterTests(KustomizeControllerHarness harness, EmbeddedCluster remote)
    : IClassFixture<KustomizeControllerHarness>, IClassFixture<EmbeddedCluster>
{
    private static string ConfigMap(string ns, string name, string value) => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {name}
          namespace: {ns}
        data:
          value: "{value}"
        ---

        """;

    private static string ReasonOf(JsonObject condition) => condition["reason"]!.GetValue<string>();

    private static Task CreateNamespaceAsync(ResourceClient client, string name) =>
        client.CreateAsync(KubeResource.Namespace, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = name } });

    private Task<JsonObject> CreateSecretAsync(string name, IReadOnlyDictionary<string, string> data, bool watched = false) =>
        harness.Client.CreateAsync(KubeResource.Secret, SecretObject(name, data, watched));

    private static JsonObject SecretObject(string name, IReadOnlyDictionary<string, string> data, bool watched)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = "flux-system" };
        if (watched)
        {
            metadata["labels"] = new JsonObject { [ConfigWatch.Label] = "Enabled" };
        }

        var encoded = new JsonObject();
        foreach (var (k, v) in data)
        {
            encoded[k] = Convert.ToBase64String(Encoding.UTF8.GetBytes(v));
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = metadata, ["data"] = encoded };
    }

    private Task<JsonObject> CreateConfigMapAsync(string name, JsonObject data) =>
        harness.Client.CreateAsync(KubeResource.ConfigMap, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "flux-system" },
            ["data"] = data,
        });

    private string RemoteKubeconfig => File.ReadAllText(remote.Server.KubeconfigPath!);

    private static JsonObject SecretRef(string name, string? key = null)
    {
        var reference = new JsonObject { ["name"] = name };
        if (key is not null)
        {
            reference["key"] = key;
        }

        return new JsonObject { ["kubeConfig"] = new JsonObject { ["secretRef"] = reference }, ["retryInterval"] = "1s" };
    }

    private static async Task<JsonObject?> WaitForAsync(Func<Task<JsonObject?>> get, Func<JsonObject?, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        JsonObject? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await get();
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{what}; last: {last?.ToJsonString() ?? "none"}");
    }

    [Fact]
    public async Task AppliesPrunesAndDeletesOnTheRemoteClusterWhileStatusAndEventsStayLocal()
    {
        await CreateNamespaceAsync(remote.Client, "remote-app");
        await harness.PushAsync("remote-app", "v1.0.0", new Dictionary<string, string>
        {
            ["all.yaml"] = ConfigMap("remote-app", "stays", "1") + ConfigMap("remote-app", "goes", "1"),
        });
        await harness.CreateSourceAsync("remote-app", "remote-app");
        await CreateSecretAsync("remote-app-kubeconfig", new Dictionary<string, string> { ["value"] = RemoteKubeconfig });
        await harness.CreateKustomizationAsync("remote-app", "remote-app", SecretRef("remote-app-kubeconfig"));

        var ready = await harness.WaitForReadyAsync("remote-app", IsTrue);
        Assert.StartsWith("Applied revision: v1.0.0@", Message(ready));
        var applied = await remote.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey("remote-app", "stays"));
        Assert.NotNull(applied);
        Assert.Equal("remote-app", applied.Label("kustomize.toolkit.fluxcd.io/name"));
        Assert.NotNull(await remote.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey("remote-app", "goes")));
        Assert.Null(await harness.Client.GetAsync(KubeResource.Namespace, new ObjectKey("", "remote-app")));
        Assert.Contains(await harness.EventsAsync("remote-app"), e => e["message"]!.GetValue<string>() ==
            "ConfigMap/remote-app/goes created\nConfigMap/remote-app/stays created");
        var (remoteEvents, _) = await remote.Client.ListAsync(KubeResource.Event, "flux-system");
        Assert.Empty(remoteEvents);

        var v2 = await harness.PushAsync("remote-app", "v1.1.0", new Dictionary<string, string> { ["all.yaml"] = ConfigMap("remote-app", "stays", "2") });
        await harness.RequestReconcileAsync(KubeResource.OCIRepository, "remote-app");
        await harness.WaitForReadyAsync("remote-app", c => IsTrue(c) && Message(c) == $"Applied revision: v1.1.0@{v2}");
        Assert.Null(await remote.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey("remote-app", "goes")));
        Assert.Equal("2", (await remote.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey("remote-app", "stays")))!["data"]!["value"]!.GetValue<string>());

        await harness.Client.DeleteAsync(KubeResource.Kustomization, new ObjectKey("flux-system", "remote-app"));
        await WaitForAsync(() => remote.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey("remote-app", "stays")), o => o is null,
            "the remote object was never deleted with its Kustomization");
        await WaitForAsync(() => harness.Client.GetAsync(KubeResource.Kustomization, new ObjectKey("flux-system", "remote-app")), o => o is null,
            "the Kustomization was never released");
    }

    [Fact]
    public async Task ServiceAccountNameIsImpersonatedOnTheRemoteCluster()
    {
        await CreateNamespaceAsync(remote.Client, "remote-tenant");
        await harness.PushAsync("remote-tenant", "v1.0.0", new Dictionary<string, string> { ["cm.yaml"] = ConfigMap("remote-tenant", "settings", "x") });
        await harness.CreateSourceAsync("remote-tenant", "remote-tenant");
        await CreateSecretAsync("remote-tenant-kubeconfig", new Dictionary<string, string> { ["value.yaml"] = RemoteKubeconfig });
        var extra = SecretRef("remote-tenant-kubeconfig");
        extra["serviceAccountName"] = "deployer";
        await harness.CreateKustomizationAsync("remote-tenant", "remote-tenant", extra);

        var refused = await harness.WaitForReadyAsync("remote-tenant", c => IsFalse(c) && ReasonOf(c) == "ReconciliationFailed");
        Assert.StartsWith("ConfigMap/remote-tenant/settings dry-run failed (Forbidden): ", Message(refused));
        Assert.Contains("system:serviceaccount:flux-system:deployer", Message(refused));

        await GrantAsync(remote.Client, "remote-tenant", "deployer", "admin");
        await harness.WaitForReadyAsync("remote-tenant", IsTrue);
        Assert.NotNull(await remote.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey("remote-tenant", "settings")));
    }

    [Fact]
    public async Task KubeconfigProblemsEndAsReadyFalseWithTheCause()
    {
        await harness.PushAsync("bad-kubeconfig", "v1.0.0", new Dictionary<string, string> { ["cm.yaml"] = ConfigMap("default", "settings", "x") });
        await harness.CreateSourceAsync("bad-kubeconfig", "bad-kubeconfig");
        await harness.CreateKustomizationAsync("bad-kubeconfig", "bad-kubeconfig", SecretRef("bad-kubeconfig"));

        var missing = await harness.WaitForReadyAsync("bad-kubeconfig", c => IsFalse(c) && ReasonOf(c) == "ReconciliationFailed");
        Assert.Equal("unable to read KubeConfig secret 'flux-system/bad-kubeconfig' error: secrets \"bad-kubeconfig\" not found", Message(missing));

        await CreateSecretAsync("bad-kubeconfig", new Dictionary<string, string> { ["config"] = RemoteKubeconfig });
        await harness.WaitForReadyAsync("bad-kubeconfig", c => IsFalse(c)
            && Message(c) == "KubeConfig secret 'flux-system/bad-kubeconfig' does not contain a 'value' key with a kubeconfig");

        await harness.PatchSpecAsync("bad-kubeconfig", new JsonObject { ["kubeConfig"] = new JsonObject { ["secretRef"] = new JsonObject { ["name"] = "bad-kubeconfig", ["key"] = "kubeconfig" } } });
        await harness.WaitForReadyAsync("bad-kubeconfig", c => IsFalse(c)
            && Message(c) == "KubeConfig secret 'flux-system/bad-kubeconfig' does not contain a 'kubeconfig' key with a kubeconfig");

        const string exec = """
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: https://127.0.0.1:1
            users:
            - name: u
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: /bin/sh
            contexts:
            - name: c
              context:
                cluster: c
                user: u
            current-context: c
            """;
        await harness.Client.ReplaceAsync(KubeResource.Secret, await WithDataAsync("bad-kubeconfig", "kubeconfig", exec));
        var refused = await harness.WaitForReadyAsync("bad-kubeconfig", c => IsFalse(c) && Message(c).Contains("exec", StringComparison.Ordinal));
        Assert.Equal("KubeConfig secret 'flux-system/bad-kubeconfig': kubeconfig user 'u' uses an exec credential plugin, which is not supported: use a token or a client certificate",
            Message(refused));

        await harness.Client.ReplaceAsync(KubeResource.Secret, await WithDataAsync("bad-kubeconfig", "kubeconfig", "clusters: [ this is not yaml"));
        var garbled = await harness.WaitForReadyAsync("bad-kubeconfig", c => IsFalse(c) && Message(c).Contains("unable to parse kubeconfig", StringComparison.Ordinal));
        Assert.StartsWith("KubeConfig secret 'flux-system/bad-kubeconfig': unable to parse kubeconfig: ", Message(garbled));

        var unreachable = exec.Replace("""
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: /bin/sh
            """, "    token: abc\n", StringComparison.Ordinal);
        await harness.Client.ReplaceAsync(KubeResource.Secret, await WithDataAsync("bad-kubeconfig", "kubeconfig", unreachable));
        var down = await harness.WaitForReadyAsync("bad-kubeconfig", c => IsFalse(c) && Message(c).StartsWith("remote cluster unreachable: ", StringComparison.Ordinal));
        Assert.Equal("ReconciliationFailed", ReasonOf(down));
        Assert.DoesNotContain(harness.Errors, e => e.Contains("bad-kubeconfig", StringComparison.Ordinal));
    }

    private async Task<JsonObject> WithDataAsync(string name, string key, string value)
    {
        var secret = (await harness.Client.GetAsync(KubeResource.Secret, new ObjectKey("flux-system", name)))!;
        secret["data"] = new JsonObject { [key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) };
        return secret;
    }

    [Fact]
    public async Task ClientsAreKeptPerSecretVersion()
    {
        var clusters = new RemoteClusters(harness.Client);
        await CreateSecretAsync("cached-kubeconfig", new Dictionary<string, string> { ["value"] = RemoteKubeconfig });
        var reference = new KubeConfigReference { SecretRef = new SecretKeyReference { Name = "cached-kubeconfig" } };

        var first = await clusters.ForAsync("flux-system", reference, CancellationToken.None);
        Assert.Same(first, await clusters.ForAsync("flux-system", reference, CancellationToken.None));
        var (namespaces, _) = await first.Client.ListAsync(KubeResource.Namespace);
        Assert.Contains(namespaces, n => n.Name() == "flux-system");

        await harness.Client.PatchAsync(KubeResource.Secret, new ObjectKey("flux-system", "cached-kubeconfig"),
            new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { ["rotated"] = "yes" } } }, "merge");
        var second = await clusters.ForAsync("flux-system", reference, CancellationToken.None);
        Assert.NotSame(first, second);
        Assert.Same(second, await clusters.ForAsync("flux-system", reference, CancellationToken.None));
    }

    [Fact]
    public async Task GenericProviderReachesTheClusterWithAServiceAccountToken()
    {
        // The local cluster issues the token, so the cluster reached is the local one at its own address.
        await harness.CreateNamespaceAsync("generic-target");
        await harness.PushAsync("generic", "v1.0.0", new Dictionary<string, string> { ["cm.yaml"] = ConfigMap("generic-target", "settings", "x") });
        await harness.CreateSourceAsync("generic", "generic");
        await harness.Client.CreateAsync(KubeResource.ServiceAccount, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ServiceAccount",
            ["metadata"] = new JsonObject { ["name"] = "generic-deployer", ["namespace"] = "flux-system" },
        });
        await CreateConfigMapAsync("generic-cluster", new JsonObject
        {
            ["provider"] = "generic",
            ["address"] = harness.Cluster.Server.Address.ToString().TrimEnd('/'),
            ["ca.crt"] = harness.Cluster.Server.CaCertificate.ExportCertificatePem(),
            ["serviceAccountName"] = "generic-deployer",
        });
        await harness.CreateKustomizationAsync("generic", "generic", new JsonObject
        {
            ["kubeConfig"] = new JsonObject { ["configMapRef"] = new JsonObject { ["name"] = "generic-cluster" } },
            ["retryInterval"] = "1s",
        });

        var refused = await harness.WaitForReadyAsync("generic", c => IsFalse(c) && ReasonOf(c) == "ReconciliationFailed");
        Assert.StartsWith("ConfigMap/generic-target/settings dry-run failed (Forbidden): ", Message(refused));
        Assert.Contains("system:serviceaccount:flux-system:generic-deployer", Message(refused));

        await GrantAsync(harness.Client, "generic-target", "generic-deployer", "admin");
        await harness.WaitForReadyAsync("generic", IsTrue);
        Assert.NotNull(await harness.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey("generic-target", "settings")));
    }

    [Fact]
    public async Task GenericProviderProblemsEndAsReadyFalse()
    {
        await harness.PushAsync("provider-errors", "v1.0.0", new Dictionary<string, string> { ["cm.yaml"] = ConfigMap("default", "settings", "x") });
        await harness.CreateSourceAsync("provider-errors", "provider-errors");
        await harness.CreateKustomizationAsync("provider-errors", "provider-errors", new JsonObject
        {
            ["kubeConfig"] = new JsonObject { ["configMapRef"] = new JsonObject { ["name"] = "provider-errors" } },
            ["retryInterval"] = "1s",
        });
        await harness.WaitForReadyAsync("provider-errors", c => IsFalse(c)
            && Message(c) == "failed to get configmap flux-system/provider-errors: configmaps \"provider-errors\" not found");

        await CreateConfigMapAsync("provider-errors", new JsonObject { ["provider"] = "aws", ["cluster"] = "arn:aws:eks:eu-west-1:123:cluster/x" });
        await harness.WaitForReadyAsync("provider-errors", c => IsFalse(c)
            && Message(c) == "provider 'aws' is not supported: only the 'generic' provider (a ServiceAccount token) is");

        await harness.Client.PatchAsync(KubeResource.ConfigMap, new ObjectKey("flux-system", "provider-errors"), new JsonObject
        {
            ["data"] = new JsonObject { ["provider"] = "generic", ["address"] = "https://127.0.0.1:6443", ["serviceAccountName"] = "nobody" },
        }, "merge");
        await harness.WaitForReadyAsync("provider-errors", c => IsFalse(c)
            && Message(c) == "failed to get service account 'flux-system/nobody': serviceaccounts \"nobody\" not found");

        await harness.Client.PatchAsync(KubeResource.ConfigMap, new ObjectKey("flux-system", "provider-errors"), new JsonObject
        {
            ["data"] = new JsonObject { ["address"] = "http://127.0.0.1:6443" },
        }, "merge");
        await harness.WaitForReadyAsync("provider-errors", c => IsFalse(c)
            && Message(c) == "failed to parse cluster address http://127.0.0.1:6443: the Kubernetes API server address 'http://127.0.0.1:6443' must use https scheme");
    }

    [Fact]
    public async Task ALabelledSecretChangeReconcilesAtOnceAndAnUnlabelledOneDoesNot()
    {
        await harness.CreateNamespaceAsync("watched");
        await harness.PushAsync("watched", "v1.0.0", new Dictionary<string, string>
        {
            ["cm.yaml"] = ConfigMap("watched", "${app}", "${greeting}"),
        });
        await harness.CreateSourceAsync("watched", "watched");
        await CreateSecretAsync("watched-vars", new Dictionary<string, string> { ["app"] = "labelled", ["greeting"] = "hello" }, watched: true);
        await CreateSecretAsync("unwatched-vars", new Dictionary<string, string> { ["app"] = "unlabelled", ["greeting"] = "hello" });
        foreach (var (name, secret) in new[] { ("watched", "watched-vars"), ("unwatched", "unwatched-vars") })
        {
            await harness.CreateKustomizationAsync(name, "watched", new JsonObject
            {
                ["interval"] = "1h",
                ["postBuild"] = new JsonObject
                {
                    ["substituteFrom"] = new JsonArray(new JsonObject { ["kind"] = "Secret", ["name"] = secret }),
                },
            });
            await harness.WaitForReadyAsync(name, IsTrue);
        }

        Task<JsonObject?> Get(string name) => harness.Client.GetAsync(KubeResource.ConfigMap, new ObjectKey("watched", name));
        static string? Value(JsonObject? cm) => cm?["data"]?["value"]?.GetValue<string>();
        Assert.Equal("hello", Value(await Get("labelled")));
        Assert.Equal("hello", Value(await Get("unlabelled")));

        await harness.Client.ReplaceAsync(KubeResource.Secret, await WithDataAsync("unwatched-vars", "app", "unlabelled", ("greeting", "changed")));
        await harness.Client.ReplaceAsync(KubeResource.Secret, await WithDataAsync("watched-vars", "app", "labelled", ("greeting", "changed")));
        await WaitForAsync(() => Get("labelled"), cm => Value(cm) == "changed", "the labelled Secret's change was never applied");

        // The unlabelled Secret changed first; its Kustomization (interval 1h) has had every chance to react.
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal("hello", Value(await Get("unlabelled")));
    }

    private async Task<JsonObject> WithDataAsync(string name, string key, string value, (string Key, string Value) more)
    {
        var secret = await WithDataAsync(name, key, value);
        secret["data"]![more.Key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(more.Value));
        return secret;
    }

    [Fact]
    public void ReferencesCoverKubeConfigSubstitutionAndDecryption()
    {
        var kustomization = JsonNode.Parse("""
            {"metadata":{"name":"k","namespace":"apps"},
             "spec":{"kubeConfig":{"secretRef":{"name":"kc"}},"decryption":{"provider":"sops","secretRef":{"name":"age"}},
                     "postBuild":{"substituteFrom":[{"kind":"Secret","name":"s"},{"kind":"ConfigMap","name":"c"}]}}}
            """)!.AsObject();
        Assert.Equal(["apps/kc", "apps/age", "apps/s"], ConfigWatch.References(kustomization, "Secret"));
        Assert.Equal(["apps/c"], ConfigWatch.References(kustomization, "ConfigMap"));
    }
}
