using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Core.Yaml;
using Weir.Runtime.Kube;
using Weir.Testing;

namespace Weir.Cli.Tests.Verbs;

/// <summary>
/// <c>weir create secret git|helm|oci</c>: the export is what flux prints and real kubectl applies it; an SSH secret
/// made from the test sshd's key and host key lets a GitRepository fetch over SSH. Secret values are never written to
/// the test output: failures report the exit code and stderr only.
/// </summary>
public sealed class CreateSecretTests(ControllerStack stack, GitServerFixture git) : IClassFixture<ControllerStack>, IClassFixture<GitServerFixture>
{
    // flux's own output for these commands (flux2 cmd/flux/testdata/create_secret: git/secret-git-basic.yaml,
    // git/git-bearer-token.yaml, helm/secret-helm.yaml, oci/create-secret.yaml).
    public static TheoryData<string[], string> Exports => new()
    {
        {
            ["create", "secret", "git", "podinfo-auth", "--url=https://github.com/stefanprodan/podinfo", "--username=my-username", "--password=my-password"],
            "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: podinfo-auth\n  namespace: flux-system\nstringData:\n  password: my-password\n  username: my-username\n\n"
        },
        {
            ["create", "secret", "git", "bearer-token-auth", "--url=https://github.com/stefanprodan/podinfo", "--bearer-token=ghp_notARealToken0123456789"],
            "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: bearer-token-auth\n  namespace: flux-system\nstringData:\n  bearerToken: ghp_notARealToken0123456789\n\n"
        },
        {
            ["create", "secret", "helm", "helm-secret", "--username=my-username", "--password=my-password"],
            "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: helm-secret\n  namespace: flux-system\nstringData:\n  password: my-password\n  username: my-username\n\n"
        },
        {
            ["create", "secret", "oci", "ghcr", "--url=ghcr.io", "--username=stefanprodan", "--password=password"],
            "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: ghcr\n  namespace: flux-system\nstringData:\n"
            + "  .dockerconfigjson: '{\"auths\":{\"ghcr.io\":{\"username\":\"stefanprodan\",\"password\":\"password\",\"auth\":\"c3RlZmFucHJvZGFuOnBhc3N3b3Jk\"}}}'\n"
            + "type: kubernetes.io/dockerconfigjson\n\n"
        },
    };

    [Theory]
    [MemberData(nameof(Exports))]
    public async Task ExportPrintsWhatFluxPrintsAndKubectlAppliesIt(string[] args, string expected)
    {
        var export = await WeirRun.RunAsync(stack.Kubeconfig, [.. args, "--export"]);
        Assert.True(export.Code == 0, $"exit {export.Code}: {export.Err}");
        Assert.True(expected == export.Out, "the export differs from flux's");

        var ns = await NamespaceAsync();
        var yaml = export.Out.Replace("namespace: flux-system", $"namespace: {ns}");
        var applied = await TestProcess.RunAsync(Kubectl.Path(), ["--kubeconfig", stack.Kubeconfig, "apply", "-f", "-"], input: yaml);
        Assert.True(applied.Code == 0, $"kubectl apply: exit {applied.Code}: {applied.Err}");
        var exported = KubeYaml.Parse(yaml)!;
        var stored = await stack.Client.GetAsync(KubeResource.Secret, new ObjectKey(ns, exported["metadata"]!["name"]!.GetValue<string>()));
        var data = SecretData.Decode(stored!);
        foreach (var (key, value) in exported["stringData"]!.AsObject())
        {
            Assert.True(data.GetValueOrDefault(key) == value!.GetValue<string>(), $"key '{key}' was not stored as exported");
        }

        Assert.Equal(exported["type"]?.GetValue<string>() ?? "Opaque", stored!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnSshSecretFromAKeyFileLetsAGitRepositoryFetchAndAGeneratedKeyIsPrintedAsTheDeployKey()
    {
        var repo = await git.CreateRepositoryAsync("cli-ssh");
        var head = await repo.CommitAsync(new Dictionary<string, string?> { ["app.yaml"] = "ssh: true\n" });
        var dir = TestEnv.TempDir("weir-create-secret-");
        var keyFile = Path.Combine(dir, "identity");
        await File.WriteAllTextAsync(keyFile, git.SshIdentity);

        var export = await WeirRun.RunAsync(stack.Kubeconfig, "create", "secret", "git", "ssh-auth", $"--url={git.SshUrl("cli-ssh")}",
            $"--private-key-file={keyFile}", "--export");
        Assert.True(export.Code == 0, $"exit {export.Code}: {export.Err}");
        var data = KubeYaml.Parse(export.Out)!["stringData"]!;
        Assert.True(data["identity"]!.GetValue<string>() == git.SshIdentity, "identity is not the key file");
        var hostKey = string.Join(' ', git.SshKnownHosts.Trim().Split(' ')[..3]); // without the key comment
        Assert.Contains(hostKey, data["known_hosts"]!.GetValue<string>().Split('\n'));
        var publicKey = data["identity.pub"]!.GetValue<string>();
        Assert.StartsWith("ssh-ed25519 ", publicKey);

        var applied = await TestProcess.RunAsync(Kubectl.Path(), ["--kubeconfig", stack.Kubeconfig, "apply", "-f", "-"], input: export.Out);
        Assert.True(applied.Code == 0, $"kubectl apply: exit {applied.Code}: {applied.Err}");
        await stack.Client.CreateAsync(KubeResource.GitRepository, new JsonObject
        {
            ["apiVersion"] = "source.toolkit.fluxcd.io/v1",
            ["kind"] = "GitRepository",
            ["metadata"] = new JsonObject { ["name"] = "cli-ssh", ["namespace"] = "flux-system" },
            ["spec"] = new JsonObject
            {
                ["url"] = git.SshUrl("cli-ssh"),
                ["interval"] = "10m",
                ["ref"] = new JsonObject { ["branch"] = "main" },
                ["secretRef"] = new JsonObject { ["name"] = "ssh-auth" },
            },
        });
        var ready = await stack.WaitForReadyAsync(KubeResource.GitRepository, "cli-ssh", c => c["status"]!.GetValue<string>() == "True");
        Assert.Equal($"stored artifact for revision 'main@sha1:{head}'", ready["message"]!.GetValue<string>());

        // Without --export: a generated ecdsa key, shown as the deploy key; the private key never reaches the terminal.
        var created = await WeirRun.RunAsync(stack.Kubeconfig, "create", "secret", "git", "generated", $"--url={git.SshUrl("cli-ssh")}");
        Assert.True(created.Code == 0, $"exit {created.Code}: {created.Err}");
        var secret = SecretData.Decode((await stack.Client.GetAsync(KubeResource.Secret, new ObjectKey("flux-system", "generated")))!);
        Assert.StartsWith("ecdsa-sha2-nistp384 ", secret["identity.pub"]);
        Assert.Equal($"✚ deploy key: {secret["identity.pub"].Trim()}\n► git secret 'generated' created in 'flux-system' namespace\n", created.Err);
        Assert.Empty(created.Out);
        Assert.Contains("PRIVATE KEY", secret["identity"]);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task BadFlagsAreRefusedAsFluxRefusesThem()
    {
        var cases = new (string[] Args, string Error)[]
        {
            (["create", "secret", "git", "a1"], "✗ url is required\n"),
            (["create", "secret", "git", "a1", "--url=https://example.com/a.git", "--username=u"],
                "✗ for Git over HTTP/S the username and password, or a bearer token is required\n"),
            (["create", "secret", "git", "a1", "--url=https://example.com/a.git", "--username=u", "--password=p", "--bearer-token=t"],
                "✗ user credentials and bearer token cannot be used together\n"),
            (["create", "secret", "git", "a1", "--url=ftp://example.com/a.git", "--username=u", "--password=p"],
                "✗ git URL scheme 'ftp' not supported, can be: ssh, http and https\n"),
            (["create", "secret", "oci", "a1", "--url=ghcr.io", "--username=u"], "✗ --password is required\n"),
            (["create", "secret", "helm"], "✗ name is required\n"),
        };
        foreach (var (args, error) in cases)
        {
            var result = await WeirRun.ExecAsync([.. args, "--export"]);
            Assert.Equal(2, result.Code);
            Assert.Equal(error, result.Err);
            Assert.Empty(result.Out);
        }
    }

    private async Task<string> NamespaceAsync()
    {
        var ns = "secret-" + Guid.NewGuid().ToString("N")[..8];
        await stack.Client.CreateAsync(KubeResource.Namespace, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = ns },
        });
        return ns;
    }
}
