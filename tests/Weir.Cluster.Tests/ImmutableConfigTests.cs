namespace Weir.Cluster.Tests;

/// <summary>
/// Secrets and ConfigMaps marked <c>immutable: true</c>: every kind of write that would change their content, or
/// clear the flag, is refused with Kubernetes' error, which real kubectl prints as it is.
/// </summary>
public sealed class ImmutableConfigTests(Weir.Testing.EmbeddedCluster cluster) : IClassFixture<Weir.Testing.EmbeddedCluster>
{
    private const string Frozen = "Forbidden: field is immutable when `immutable` is set";

    public static TheoryData<int> Minors => [.. Weir.Testing.Kubectl.Minors];

    [Theory]
    [MemberData(nameof(Minors))]
    public async Task ContentAndFlagCannotChangeOnceImmutable(int minor)
    {
        var work = TestEnv.TempDir($"weir-immutable-{minor}-");
        var k = new Kubectl(Weir.Testing.Kubectl.Path(minor), cluster.Server.KubeconfigPath!, work);
        var secret = $"frozen-{minor}";
        var configMap = $"frozen-cm-{minor}";
        Write(work, "secret.yaml", $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {secret}\n  namespace: default\nimmutable: true\ndata:\n  key: b2xk\n");
        Write(work, "secret-changed.yaml", $"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {secret}\n  namespace: default\nimmutable: true\ndata:\n  key: bmV3\n");
        Write(work, "cm.yaml", $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {configMap}\n  namespace: default\nimmutable: true\ndata:\n  key: old\nbinaryData:\n  blob: AAE=\n");
        await k.OkAsync("apply", "--server-side", "-f", "secret.yaml");
        await k.OkAsync("create", "-f", "cm.yaml");

        var secretData = $"The Secret \"{secret}\" is invalid: data: {Frozen}";
        await RefusedAsync(k, secretData, "patch", "secret", secret, "-p", """{"data":{"key":"bmV3"}}""");
        await RefusedAsync(k, secretData, "patch", "secret", secret, "--type", "merge", "-p", """{"stringData":{"added":"x"}}""");
        await RefusedAsync(k, secretData, "patch", "secret", secret, "--type", "json", "-p", """[{"op":"remove","path":"/data/key"}]""");
        await RefusedAsync(k, secretData, "replace", "-f", "secret-changed.yaml");
        await RefusedAsync(k, secretData, "apply", "--server-side", "-f", "secret-changed.yaml");
        await RefusedAsync(k, $"The Secret \"{secret}\" is invalid: immutable: {Frozen}", "patch", "secret", secret, "--type", "merge", "-p", """{"immutable":false}""");
        await RefusedAsync(k, $"The Secret \"{secret}\" is invalid: \n* immutable: {Frozen}\n* data: {Frozen}\n",
            "patch", "secret", secret, "--type", "merge", "-p", """{"immutable":null,"data":{"key":"bmV3"}}""");

        await RefusedAsync(k, $"The ConfigMap \"{configMap}\" is invalid: data: {Frozen}", "patch", "configmap", configMap, "-p", """{"data":{"key":"new"}}""");
        await RefusedAsync(k, $"The ConfigMap \"{configMap}\" is invalid: binaryData: {Frozen}", "patch", "configmap", configMap, "--type", "merge", "-p", """{"binaryData":null}""");
        await RefusedAsync(k, $"The ConfigMap \"{configMap}\" is invalid: immutable: {Frozen}", "patch", "configmap", configMap, "--type", "json", "-p", """[{"op":"remove","path":"/immutable"}]""");

        // Metadata stays writable, the content is what was created, and deleting is how to change it.
        await k.OkAsync("label", "secret", secret, "team=a");
        Assert.Equal("b2xk", await k.OkAsync("get", "secret", secret, "-o", "jsonpath={.data.key}"));
        Assert.Equal("old", await k.OkAsync("get", "configmap", configMap, "-o", "jsonpath={.data.key}"));
        await k.OkAsync("delete", "secret", secret);
        await k.OkAsync("apply", "--server-side", "-f", "secret-changed.yaml");
        Assert.Equal("bmV3", await k.OkAsync("get", "secret", secret, "-o", "jsonpath={.data.key}"));
        await k.OkAsync("delete", "secret", secret);
        await k.OkAsync("delete", "configmap", configMap);
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public async Task AMutableSecretChangesUntilItIsMarkedImmutable()
    {
        var work = TestEnv.TempDir("weir-immutable-late-");
        var k = new Kubectl(Weir.Testing.Kubectl.Path(), cluster.Server.KubeconfigPath!, work);
        Write(work, "secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: later\n  namespace: default\ndata:\n  key: b2xk\n");
        await k.OkAsync("create", "-f", "secret.yaml");
        await k.OkAsync("patch", "secret", "later", "-p", """{"data":{"key":"bmV3"}}""");
        await k.OkAsync("patch", "secret", "later", "--type", "merge", "-p", """{"immutable":false}""");
        await k.OkAsync("patch", "secret", "later", "--type", "merge", "-p", """{"immutable":true}""");
        await RefusedAsync(k, $"The Secret \"later\" is invalid: data: {Frozen}", "patch", "secret", "later", "-p", """{"data":{"key":"b2xk"}}""");
        Assert.Equal("bmV3", await k.OkAsync("get", "secret", "later", "-o", "jsonpath={.data.key}"));
        Directory.Delete(work, recursive: true);
    }

    private static void Write(string dir, string name, string content) => File.WriteAllText(Path.Combine(dir, name), content);

    private static async Task RefusedAsync(Kubectl k, string expected, params string[] args)
    {
        var result = await k.RunAsync(args);
        Assert.True(result.Code != 0, $"kubectl {string.Join(' ', args)} was accepted:\n{result}");
        Assert.True(result.Err.Contains(expected, StringComparison.Ordinal), $"kubectl {string.Join(' ', args)}: expected\n{expected}\n{result}");
    }
}
