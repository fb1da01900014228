using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Kube;
using Weir.Sources.Tests.OciRepositories;
using Weir.Testing;

namespace Weir.Sources.Tests.GitRepositories;

/// <summary>GitRepositories against a real git server (git http-backend behind Kestrel, HTTP and HTTPS).</summary>
public sealed partial class GitRepositoryReconcilerTests(SourceControllerHarness harness, GitServerFixture git)
    : IClassFixture<SourceControllerHarness>, IClassFixture<GitServerFixture>
{
    private static readonly KubeResource Git = KubeResource.GitRepository;

    private static bool IsTrue(JsonObject c) => c["status"]!.GetValue<string>() == "True";

    private static bool IsFalse(JsonObject c) => c["status"]!.GetValue<string>() == "False";

    private static string Message(JsonObject c) => c["message"]!.GetValue<string>();

    [Fact]
    public async Task BranchTagSemverNameAndCommitResolveToFluxRevisions()
    {
        var repo = await git.CreateRepositoryAsync("refs");
        var first = await repo.CommitAsync(Files(("deploy/app.yaml", "version: 1\n")), "first");
        await repo.TagAsync("v1.0.0", "release 1.0.0");
        var second = await repo.CommitAsync(Files(("deploy/app.yaml", "version: 2\n")), "second");
        await repo.TagAsync("v1.1.0");
        var third = await repo.CommitAsync(Files(("deploy/app.yaml", "version: 3-rc\n")), "third");
        await repo.TagAsync("v2.0.0-rc.1");
        await repo.RunAsync("push", "-q", "origin", $"{first}:refs/pull/420/head");

        var url = git.AnonymousUrl("refs");
        var cases = new (string Name, JsonObject Ref, string Revision, string Content)[]
        {
            ("refs-branch", new JsonObject { ["branch"] = "main" }, $"main@sha1:{third}", "version: 3-rc\n"),
            ("refs-tag", new JsonObject { ["tag"] = "v1.0.0" }, $"v1.0.0@sha1:{first}", "version: 1\n"),
            ("refs-semver", new JsonObject { ["semver"] = ">=1.0.0 <2.0.0" }, $"v1.1.0@sha1:{second}", "version: 2\n"),
            ("refs-name", new JsonObject { ["name"] = "refs/pull/420/head" }, $"refs/pull/420/head@sha1:{first}", "version: 1\n"),
            ("refs-commit", new JsonObject { ["commit"] = second }, $"sha1:{second}", "version: 2\n"),
            ("refs-commit-branch", new JsonObject { ["branch"] = "main", ["commit"] = first }, $"main@sha1:{first}", "version: 1\n"),
        };
        foreach (var c in cases)
        {
            await CreateAsync(c.Name, url, c.Ref);
        }

        foreach (var c in cases)
        {
            var ready = await harness.WaitForReadyAsync(c.Name, IsTrue, resource: Git);
            Assert.Equal($"stored artifact for revision '{c.Revision}'", Message(ready));
            Assert.Equal("Succeeded", ready["reason"]!.GetValue<string>());
            var artifact = (await harness.GetAsync(c.Name, Git))["status"]!["artifact"]!;
            Assert.Equal(c.Revision, artifact["revision"]!.GetValue<string>());
            var files = await SourceControllerHarness.DownloadAsync(artifact);
            Assert.Equal(c.Content, files["deploy/app.yaml"]);
        }
    }

    [Fact]
    public async Task NewCommitAndForcePushArePickedUpAndAnUnchangedCommitStoresNothing()
    {
        var repo = await git.CreateRepositoryAsync("moving");
        var first = await repo.CommitAsync(Files(("app.yaml", "v: 1\n")), "first");
        await CreateAsync("moving", git.AnonymousUrl("moving"), new JsonObject { ["branch"] = "main" });
        await harness.WaitForReadyAsync("moving", c => IsTrue(c) && Message(c).Contains(first), resource: Git);
        var before = (await harness.GetAsync("moving", Git))["status"]!["artifact"]!.ToJsonString();

        await harness.RequestReconcileAsync("moving", Git);
        await harness.WaitForHandledAsync("moving", Git);
        Assert.Equal(before, (await harness.GetAsync("moving", Git))["status"]!["artifact"]!.ToJsonString());

        var second = await repo.CommitAsync(Files(("app.yaml", "v: 2\n")), "second");
        await harness.RequestReconcileAsync("moving", Git);
        await harness.WaitForReadyAsync("moving", c => IsTrue(c) && Message(c) == $"stored artifact for revision 'main@sha1:{second}'", resource: Git);

        // Force-push a history that does not contain the stored commit.
        await repo.RunAsync("reset", "-q", "--hard", first);
        var rewritten = await repo.CommitAsync(Files(("app.yaml", "v: rewritten\n")), "rewritten");
        await harness.RequestReconcileAsync("moving", Git);
        await harness.WaitForReadyAsync("moving", c => IsTrue(c) && Message(c) == $"stored artifact for revision 'main@sha1:{rewritten}'", resource: Git);
        var files = await SourceControllerHarness.DownloadAsync((await harness.GetAsync("moving", Git))["status"]!["artifact"]!);
        Assert.Equal("v: rewritten\n", files["app.yaml"]);
    }

    [Fact]
    public async Task BasicAuthAndBearerTokenAreSentAndWrongCredentialsFailWithoutLeakingThem()
    {
        var repo = await git.CreateRepositoryAsync("private");
        var head = await repo.CommitAsync(Files(("app.yaml", "private: true\n")));
        await harness.CreateSecretAsync("git-basic", ("username", git.Username), ("password", git.Password));
        await harness.CreateSecretAsync("git-bearer", ("bearerToken", git.Token));
        await harness.CreateSecretAsync("git-wrong", ("username", git.Username), ("password", "wrong-password-4711"));

        await CreateAsync("private-basic", git.AuthUrl("private"), new JsonObject { ["branch"] = "main" }, new JsonObject { ["secretRef"] = Ref("git-basic") });
        await CreateAsync("private-bearer", git.AuthUrl("private"), new JsonObject { ["branch"] = "main" }, new JsonObject { ["secretRef"] = Ref("git-bearer") });
        await CreateAsync("private-wrong", git.AuthUrl("private"), new JsonObject { ["branch"] = "main" }, new JsonObject { ["secretRef"] = Ref("git-wrong") });
        await CreateAsync("private-none", git.AuthUrl("private"), new JsonObject { ["branch"] = "main" });

        Assert.Equal($"stored artifact for revision 'main@sha1:{head}'", Message(await harness.WaitForReadyAsync("private-basic", IsTrue, resource: Git)));
        Assert.Equal($"stored artifact for revision 'main@sha1:{head}'", Message(await harness.WaitForReadyAsync("private-bearer", IsTrue, resource: Git)));
        foreach (var name in new[] { "private-wrong", "private-none" })
        {
            var failed = await harness.WaitForReadyAsync(name, IsFalse, resource: Git);
            Assert.Equal("GitOperationFailed", failed["reason"]!.GetValue<string>());
            Assert.Equal($"failed to checkout and determine revision: unable to clone '{git.AuthUrl("private")}': authentication required", Message(failed));
        }

        var everything = await harness.EverythingAboutAsync(Git, "private-wrong");
        Assert.DoesNotContain("wrong-password-4711", everything);
        Assert.DoesNotContain(git.Password, everything);
    }

    [Fact]
    public async Task PasswordInTheUrlIsRedacted()
    {
        await git.CreateRepositoryAsync("userinfo");
        var url = git.AuthUrl("userinfo").Replace("http://", $"http://{git.Username}:url-secret-0815@");
        await CreateAsync("userinfo", url, new JsonObject { ["branch"] = "main" });
        var failed = await harness.WaitForReadyAsync("userinfo", IsFalse, resource: Git);
        Assert.Contains($"http://{git.Username}:xxxxx@127.0.0.1", Message(failed));
        Assert.DoesNotContain("url-secret-0815", await harness.EverythingAboutAsync(Git, "userinfo"));
    }

    [Fact]
    public async Task HttpsWithTheTestCaWorksAndWithoutItFails()
    {
        var repo = await git.CreateRepositoryAsync("tls");
        var head = await repo.CommitAsync(Files(("app.yaml", "tls: true\n")));
        await harness.CreateSecretAsync("git-tls", ("username", git.Username), ("password", git.Password), ("ca.crt", git.CaPem));
        await harness.CreateSecretAsync("git-tls-noca", ("username", git.Username), ("password", git.Password));
        await CreateAsync("tls", git.HttpsUrl("tls"), new JsonObject { ["branch"] = "main" }, new JsonObject { ["secretRef"] = Ref("git-tls") });
        await CreateAsync("tls-noca", git.HttpsUrl("tls"), new JsonObject { ["branch"] = "main" }, new JsonObject { ["secretRef"] = Ref("git-tls-noca") });

        Assert.Equal($"stored artifact for revision 'main@sha1:{head}'", Message(await harness.WaitForReadyAsync("tls", IsTrue, resource: Git)));
        var failed = await harness.WaitForReadyAsync("tls-noca", IsFalse, resource: Git);
        Assert.StartsWith($"failed to checkout and determine revision: unable to clone '{git.HttpsUrl("tls")}': ", Message(failed));
        Assert.Contains("certificate", Message(failed));
    }

    [Fact]
    public async Task SshWithAKeyAndKnownHostsWorksAndAnUnknownHostOrKeyFails()
    {
        var repo = await git.CreateRepositoryAsync("ssh");
        var head = await repo.CommitAsync(Files(("app.yaml", "ssh: true\n")));
        await repo.TagAsync("v1.0.0");
        var otherHost = git.SshKnownHosts.Split(' ')[0] + " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHKBfUeGbmThXQ0m1mS4VyPzmp0dMRMzZCJWaZM9ROYB\n";
        var (code, _, error) = await TestProcess.RunAsync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", Path.Combine(repo.Work, "..", "stranger-" + Guid.NewGuid().ToString("N"))]);
        Assert.True(code == 0, error);
        await harness.CreateSecretAsync("ssh-good", ("identity", git.SshIdentity), ("known_hosts", git.SshKnownHosts));
        await harness.CreateSecretAsync("ssh-unknown-host", ("identity", git.SshIdentity), ("known_hosts", otherHost));
        await harness.CreateSecretAsync("ssh-no-known-hosts", ("identity", git.SshIdentity));

        await CreateAsync("ssh", git.SshUrl("ssh"), new JsonObject { ["tag"] = "v1.0.0" }, new JsonObject { ["secretRef"] = Ref("ssh-good") });
        await CreateAsync("ssh-unknown-host", git.SshUrl("ssh"), new JsonObject { ["branch"] = "main" }, new JsonObject { ["secretRef"] = Ref("ssh-unknown-host") });
        await CreateAsync("ssh-no-known-hosts", git.SshUrl("ssh"), new JsonObject { ["branch"] = "main" }, new JsonObject { ["secretRef"] = Ref("ssh-no-known-hosts") });

        Assert.Equal($"stored artifact for revision 'v1.0.0@sha1:{head}'", Message(await harness.WaitForReadyAsync("ssh", IsTrue, resource: Git)));
        var unknown = await harness.WaitForReadyAsync("ssh-unknown-host", IsFalse, resource: Git);
        Assert.StartsWith($"failed to checkout and determine revision: unable to clone '{git.SshUrl("ssh")}': ", Message(unknown));
        Assert.Contains("Host key verification failed", Message(unknown));
        var noHosts = await harness.WaitForReadyAsync("ssh-no-known-hosts", IsFalse, resource: Git);
        Assert.Equal("AuthenticationFailed", noHosts["reason"]!.GetValue<string>());
        Assert.Equal("failed to configure authentication options: invalid 'ssh' auth option: 'known_hosts' is required", Message(noHosts));
        var identityLine = git.SshIdentity.Split('\n')[1];
        Assert.DoesNotContain(identityLine, await harness.EverythingAboutAsync(Git, "ssh-unknown-host"));
    }

    [Fact]
    public async Task MissingRefsUnmatchedSemverMissingSecretAndUnreachableServerGiveFluxMessages()
    {
        var repo = await git.CreateRepositoryAsync("errors");
        await repo.CommitAsync(Files(("app.yaml", "a: 1\n")));
        await repo.TagAsync("v1.0.0");
        var url = git.AnonymousUrl("errors");
        var unreachable = $"http://127.0.0.1:{TestEnv.FreePort()}/nothing.git";
        await CreateAsync("errors-branch", url, new JsonObject { ["branch"] = "nope" });
        await CreateAsync("errors-tag", url, new JsonObject { ["tag"] = "v1.8.9" });
        await CreateAsync("errors-semver", url, new JsonObject { ["semver"] = ">=3.0.0" });
        await CreateAsync("errors-secret", url, new JsonObject { ["branch"] = "main" }, new JsonObject { ["secretRef"] = Ref("absent") });
        await CreateAsync("errors-down", unreachable, new JsonObject { ["branch"] = "main" });

        var prefix = $"failed to checkout and determine revision: unable to clone '{url}': ";
        Assert.Equal(prefix + "couldn't find remote ref \"refs/heads/nope\"", Message(await harness.WaitForReadyAsync("errors-branch", IsFalse, resource: Git)));
        Assert.Equal(prefix + "couldn't find remote ref \"refs/tags/v1.8.9\"", Message(await harness.WaitForReadyAsync("errors-tag", IsFalse, resource: Git)));
        Assert.Equal("failed to checkout and determine revision: no match found for semver: >=3.0.0",
            Message(await harness.WaitForReadyAsync("errors-semver", IsFalse, resource: Git)));
        var secret = await harness.WaitForReadyAsync("errors-secret", IsFalse, resource: Git);
        Assert.Equal("AuthenticationFailed", secret["reason"]!.GetValue<string>());
        Assert.Equal("failed to get secret 'flux-system/absent': secrets \"absent\" not found", Message(secret));
        var down = await harness.WaitForReadyAsync("errors-down", IsFalse, resource: Git);
        Assert.StartsWith($"failed to checkout and determine revision: unable to clone '{unreachable}': ", Message(down));
        Assert.Contains("Failed to connect", Message(down));
    }

    [Fact]
    public async Task IgnoreRulesApplyAndSymlinksNeverBringHostFilesIn()
    {
        var repo = await git.CreateRepositoryAsync("hostile");
        await repo.CommitAsync(Files(
            ("deploy/app.yaml", "kind: ConfigMap\n"),
            ("docs/readme.md", "docs\n"),
            ("notes.txt", "notes\n"),
            (".sourceignore", "docs/\n")));
        File.CreateSymbolicLink(Path.Combine(repo.Work, "passwd"), "/etc/passwd");
        File.CreateSymbolicLink(Path.Combine(repo.Work, "deploy", "root"), "../../../../../../");
        var head = await repo.CommitAsync(Files(), "links");

        await CreateAsync("hostile", git.AnonymousUrl("hostile"), new JsonObject { ["branch"] = "main" });
        await CreateAsync("hostile-ignore", git.AnonymousUrl("hostile"), new JsonObject { ["branch"] = "main" }, new JsonObject { ["ignore"] = "*.txt\n" });
        await harness.WaitForReadyAsync("hostile", c => IsTrue(c) && Message(c).Contains(head), resource: Git);
        await harness.WaitForReadyAsync("hostile-ignore", c => IsTrue(c) && Message(c).Contains(head), resource: Git);

        var files = await SourceControllerHarness.DownloadAsync((await harness.GetAsync("hostile", Git))["status"]!["artifact"]!);
        Assert.Equal([".sourceignore", "deploy/app.yaml", "notes.txt"], files.Keys.Order(StringComparer.Ordinal));
        var ignored = await SourceControllerHarness.DownloadAsync((await harness.GetAsync("hostile-ignore", Git))["status"]!["artifact"]!);
        Assert.Equal([".sourceignore", "deploy/app.yaml"], ignored.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("*.txt\n", (await harness.GetAsync("hostile-ignore", Git))["status"]!["observedIgnore"]!.GetValue<string>());
    }

    [Fact]
    public async Task ASourceIgnoreLinkOutOfTheCheckoutFailsTheArtifact()
    {
        var repo = await git.CreateRepositoryAsync("ignore-link");
        await repo.CommitAsync(Files(("deploy/app.yaml", "kind: ConfigMap\n")));
        File.CreateSymbolicLink(Path.Combine(repo.Work, "deploy", ".sourceignore"), "/etc/hostname");
        await repo.CommitAsync(Files(), "link");
        await CreateAsync("ignore-link", git.AnonymousUrl("ignore-link"), new JsonObject { ["branch"] = "main" });
        var failed = await harness.WaitForReadyAsync("ignore-link", IsFalse, resource: Git);
        Assert.Equal("ArchiveOperationFailed", failed["reason"]!.GetValue<string>());
        Assert.Equal("unable to archive artifact to storage: path 'deploy/.sourceignore' leads out of the checkout", Message(failed));
        Assert.Null((await harness.GetAsync("ignore-link", Git))["status"]!["artifact"]);
    }

    [Fact]
    public async Task SparseCheckoutKeepsOnlyTheNamedDirectories()
    {
        var repo = await git.CreateRepositoryAsync("sparse");
        var head = await repo.CommitAsync(Files(("apps/app.yaml", "a: 1\n"), ("infra/db.yaml", "b: 2\n"), ("top.yaml", "c: 3\n")));
        await CreateAsync("sparse", git.AnonymousUrl("sparse"), new JsonObject { ["branch"] = "main" },
            new JsonObject { ["sparseCheckout"] = new JsonArray("apps", "./infra/") });
        await CreateAsync("sparse-none", git.AnonymousUrl("sparse"), new JsonObject { ["branch"] = "main" },
            new JsonObject { ["sparseCheckout"] = new JsonArray("infra") });
        await harness.WaitForReadyAsync("sparse", c => IsTrue(c) && Message(c).Contains(head), resource: Git);
        await harness.WaitForReadyAsync("sparse-none", c => IsTrue(c) && Message(c).Contains(head), resource: Git);
        var status = (await harness.GetAsync("sparse", Git))["status"]!;
        Assert.Equal(["apps/app.yaml", "infra/db.yaml"], (await SourceControllerHarness.DownloadAsync(status["artifact"]!)).Keys.Order(StringComparer.Ordinal));
        Assert.Equal("[\"apps\",\"./infra/\"]", status["observedSparseCheckout"]!.ToJsonString());
        var single = (await harness.GetAsync("sparse-none", Git))["status"]!["artifact"]!;
        Assert.Equal(["infra/db.yaml"], (await SourceControllerHarness.DownloadAsync(single)).Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FieldsWeirDoesNotImplementStopTheObjectWithAClearMessage()
    {
        await CreateAsync("unsupported", git.AnonymousUrl("whatever"), new JsonObject { ["branch"] = "main" }, new JsonObject
        {
            ["provider"] = "azure",
        });
        var failed = await harness.WaitForReadyAsync("unsupported", IsFalse, resource: Git);
        Assert.Equal("UnsupportedConfiguration", failed["reason"]!.GetValue<string>());
        Assert.Equal("Weir does not support spec.provider 'azure' for GitRepositories yet", Message(failed));
        var conditions = (await harness.GetAsync("unsupported", Git))["status"]!["conditions"]!.AsArray();
        Assert.Contains(conditions, c => c!["type"]!.GetValue<string>() == "Stalled" && c["status"]!.GetValue<string>() == "True");
    }

    [Fact]
    public async Task ACheckoutLargerThanTheLimitFailsAndStoresNothing()
    {
        var repo = await git.CreateRepositoryAsync("huge");
        var big = new string('x', (int)SourceControllerHarness.GitOptions.MaxCheckoutSize + 1);
        var head = await repo.CommitAsync(Files(("big.yaml", big)));
        await CreateAsync("huge", git.AnonymousUrl("huge"), new JsonObject { ["branch"] = "main" });
        var failed = await harness.WaitForReadyAsync("huge", IsFalse, resource: Git);
        Assert.Equal("GitOperationFailed", failed["reason"]!.GetValue<string>());
        Assert.EndsWith($"the files of commit '{head}' add up to {big.Length} bytes, more than the limit of {big.Length - 1} bytes", Message(failed));
        Assert.Null((await harness.GetAsync("huge", Git))["status"]!["artifact"]);
        Assert.False(Directory.Exists(Path.Combine(harness.Store.Root, "gitrepository", "flux-system", "huge")));
    }

    [Fact]
    public async Task DeletingTheObjectRemovesItsArtifacts()
    {
        var repo = await git.CreateRepositoryAsync("deleted");
        await repo.CommitAsync(Files(("app.yaml", "a: 1\n")));
        await CreateAsync("deleted", git.AnonymousUrl("deleted"), new JsonObject { ["branch"] = "main" });
        await harness.WaitForReadyAsync("deleted", IsTrue, resource: Git);
        var dir = Path.Combine(harness.Store.Root, "gitrepository", "flux-system", "deleted");
        Assert.NotEmpty(Directory.GetFiles(dir, "*.tar.gz"));

        await harness.Client.DeleteAsync(Git, new ObjectKey("flux-system", "deleted"));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await harness.Client.GetAsync(Git, new ObjectKey("flux-system", "deleted")) is not null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.False(Directory.Exists(dir));
    }

    private static Dictionary<string, string?> Files(params (string Path, string? Content)[] files) =>
        files.ToDictionary(f => f.Path, f => f.Content);

    private static JsonObject Ref(string name) => new() { ["name"] = name };

    private Task<JsonObject> CreateAsync(string name, string url, JsonObject reference, JsonObject? extra = null)
    {
        var spec = new JsonObject { ["url"] = url, ["interval"] = "10m", ["ref"] = reference };
        foreach (var (k, v) in extra ?? [])
        {
            spec[k] = v?.DeepClone();
        }

        return harness.Client.CreateAsync(Git, new JsonObject
        {
            ["apiVersion"] = "source.toolkit.fluxcd.io/v1",
            ["kind"] = "GitRepository",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "flux-system" },
            ["spec"] = spec,
        });
    }
}
