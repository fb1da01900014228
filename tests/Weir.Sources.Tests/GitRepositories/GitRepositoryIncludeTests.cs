using System.Text.Json.Nodes;
using Weir.Sources.Tests.OciRepositories;
using Weir.Testing;

namespace Weir.Sources.Tests.GitRepositories;

/// <summary><c>spec.include</c> and <c>spec.recurseSubmodules</c> against the real git server.</summary>
public sealed partial class GitRepositoryReconcilerTests
{
    [Fact]
    public async Task IncludeCopiesAnotherRepositorysArtifactAndFollowsItsChanges()
    {
        var lib = await git.CreateRepositoryAsync("inc-lib");
        await lib.CommitAsync(Files(("lib/a.yaml", "a: 1\n"), ("other.txt", "other\n")));
        var app = await git.CreateRepositoryAsync("inc-app");
        var appHead = await app.CommitAsync(Files(("app.yaml", "app: 1\n"), ("vendor/lib/stale.yaml", "stale\n")));
        await CreateAsync("inc-lib", git.AnonymousUrl("inc-lib"), new JsonObject { ["branch"] = "main" });
        await CreateAsync("inc-app", git.AnonymousUrl("inc-app"), new JsonObject { ["branch"] = "main" }, new JsonObject
        {
            ["include"] = new JsonArray(
                new JsonObject { ["repository"] = Ref("inc-lib"), ["fromPath"] = "lib", ["toPath"] = "vendor/lib" },
                new JsonObject { ["repository"] = Ref("inc-lib") }),
        });

        Assert.Equal($"stored artifact for revision 'main@sha1:{appHead}'", Message(await harness.WaitForReadyAsync("inc-app", IsTrue, resource: Git)));
        var status = (await harness.GetAsync("inc-app", Git))["status"]!;
        var libRevision = (await harness.GetAsync("inc-lib", Git))["status"]!["artifact"]!["revision"]!.GetValue<string>();
        Assert.Equal([libRevision, libRevision], status["includedArtifacts"]!.AsArray().Select(a => a!["revision"]!.GetValue<string>()));
        Assert.Equal("inc-lib", status["observedInclude"]![0]!["repository"]!["name"]!.GetValue<string>());
        var files = await SourceControllerHarness.DownloadAsync(status["artifact"]!);
        Assert.Equal(["app.yaml", "inc-lib/lib/a.yaml", "inc-lib/other.txt", "vendor/lib/a.yaml"], files.Keys.Order(StringComparer.Ordinal));
        var digest = status["artifact"]!["digest"]!.GetValue<string>();

        // A new commit of the included repository moves the including artifact (same commit, new content and digest).
        var libHead = await lib.CommitAsync(Files(("lib/a.yaml", "a: 2\n")), "lib 2");
        await harness.RequestReconcileAsync("inc-lib", Git);
        await harness.WaitForReadyAsync("inc-lib", c => IsTrue(c) && Message(c).Contains(libHead), resource: Git);
        await harness.RequestReconcileAsync("inc-app", Git);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await harness.GetAsync("inc-app", Git))["status"]!["includedArtifacts"]![0]!["revision"]!.GetValue<string>() != $"main@sha1:{libHead}")
        {
            Assert.True(DateTime.UtcNow < deadline, "the included artifact's new revision never reached inc-app");
            await Task.Delay(100);
        }

        var moved = (await harness.GetAsync("inc-app", Git))["status"]!;
        Assert.Equal($"main@sha1:{appHead}", moved["artifact"]!["revision"]!.GetValue<string>());
        Assert.NotEqual(digest, moved["artifact"]!["digest"]!.GetValue<string>());
        Assert.Equal("a: 2\n", (await SourceControllerHarness.DownloadAsync(moved["artifact"]!))["vendor/lib/a.yaml"]);
    }

    [Fact]
    public async Task IncludesThatAreNotReadyOrLeadOutOfTheirTargetFailClearlyAndWriteNothing()
    {
        var lib = await git.CreateRepositoryAsync("incx-lib");
        await lib.CommitAsync(Files(("lib/a.yaml", "a: 1\n")));
        var app = await git.CreateRepositoryAsync("incx-app");
        await app.CommitAsync(Files(("app.yaml", "app: 1\n")));
        var outside = TestEnv.TempDir("weir-include-outside-");
        File.CreateSymbolicLink(Path.Combine(app.Work, "vendor"), outside);
        await app.CommitAsync(Files(), "link out");
        await CreateAsync("incx-lib", git.AnonymousUrl("incx-lib"), new JsonObject { ["branch"] = "main" });
        await CreateAsync("incx-broken", git.AnonymousUrl("incx-lib"), new JsonObject { ["branch"] = "no-such-branch" });
        await harness.WaitForReadyAsync("incx-lib", IsTrue, resource: Git);

        var cases = new (string Name, JsonObject Include, string Reason, string Message)[]
        {
            ("incx-missing", new JsonObject { ["repository"] = Ref("nope") }, "NotFound",
                "could not get resource for include 'nope': gitrepositories.source.toolkit.fluxcd.io \"nope\" not found"),
            ("incx-not-ready", new JsonObject { ["repository"] = Ref("incx-broken") }, "NoArtifact", "no artifact available for include 'incx-broken'"),
            ("incx-to", new JsonObject { ["repository"] = Ref("incx-lib"), ["toPath"] = "deploy/../../../escaped" }, "IllegalPath",
                "path calculation for include 'incx-lib' failed: toPath 'deploy/../../../escaped' leads out of the artifact or names its root"),
            ("incx-from", new JsonObject { ["repository"] = Ref("incx-lib"), ["fromPath"] = "../../../../etc" }, "IllegalPath",
                "path calculation for include 'incx-lib' failed: fromPath '../../../../etc' leads out of the included artifact"),
            ("incx-self", new JsonObject { ["repository"] = Ref("incx-self") }, "IllegalPath", "include 'incx-self' refers to the GitRepository itself"),
            ("incx-link", new JsonObject { ["repository"] = Ref("incx-lib"), ["toPath"] = "vendor/lib" }, "CopyFailure",
                "failed to copy 'incx-lib' include from '' to 'vendor/lib': 'vendor/lib' would be written through the symbolic link 'vendor'"),
        };
        foreach (var c in cases)
        {
            await CreateAsync(c.Name, git.AnonymousUrl("incx-app"), new JsonObject { ["branch"] = "main" }, new JsonObject { ["include"] = new JsonArray(c.Include) });
        }

        foreach (var c in cases)
        {
            var failed = await harness.WaitForReadyAsync(c.Name, IsFalse, resource: Git);
            Assert.Equal(c.Message, Message(failed));
            Assert.Equal(c.Reason, failed["reason"]!.GetValue<string>());
            var status = (await harness.GetAsync(c.Name, Git))["status"]!;
            Assert.Contains(status["conditions"]!.AsArray(), x => x!["type"]!.GetValue<string>() == "IncludeUnavailable" && x["message"]!.GetValue<string>() == c.Message);
            Assert.Null(status["artifact"]);
        }

        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.False(Directory.Exists(Path.Combine(harness.Store.Root, "..", "escaped")));
    }

    [Fact]
    public async Task RecurseSubmodulesClonesThemOverTheParentsTransport()
    {
        var child = await git.CreateRepositoryAsync("sm-child");
        await child.CommitAsync(Files(("child.yaml", "child: 1\n")));
        var parent = await git.CreateRepositoryAsync("sm-parent");
        await parent.CommitAsync(Files(("parent.yaml", "parent: 1\n")));
        await parent.RunAsync("-c", "protocol.file.allow=always", "submodule", "add", "-q", child.Bare, "vendor/child");
        await parent.RunAsync("config", "-f", ".gitmodules", "submodule.vendor/child.url", "../sm-child.git");
        var head = await parent.CommitAsync(Files(), "add the child as a submodule");

        await CreateAsync("sm", git.AnonymousUrl("sm-parent"), new JsonObject { ["branch"] = "main" }, new JsonObject { ["recurseSubmodules"] = true });
        await CreateAsync("sm-off", git.AnonymousUrl("sm-parent"), new JsonObject { ["branch"] = "main" });
        Assert.Equal($"stored artifact for revision 'main@sha1:{head}'", Message(await harness.WaitForReadyAsync("sm", IsTrue, resource: Git)));
        await harness.WaitForReadyAsync("sm-off", IsTrue, resource: Git);

        var status = (await harness.GetAsync("sm", Git))["status"]!;
        Assert.True(status["observedRecurseSubmodules"]!.GetValue<bool>());
        var files = await SourceControllerHarness.DownloadAsync(status["artifact"]!);
        Assert.Equal(["parent.yaml", "vendor/child/child.yaml"], files.Keys.Order(StringComparer.Ordinal));
        var without = await SourceControllerHarness.DownloadAsync((await harness.GetAsync("sm-off", Git))["status"]!["artifact"]!);
        Assert.Equal(["parent.yaml"], without.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task SubmodulesGetTheParentsCredentialsOnItsOriginOnly()
    {
        var child = await git.CreateRepositoryAsync("sm-auth-child");
        await child.CommitAsync(Files(("child.yaml", "child: 1\n")));
        await harness.CreateSecretAsync("sm-auth", ("username", git.Username), ("password", git.Password));
        var heads = new Dictionary<string, string>();
        foreach (var (name, submoduleUrl) in new[] { ("sm-auth-same", "../sm-auth-child.git"), ("sm-auth-other", git.AuthUrl("sm-auth-child").Replace("127.0.0.1", "localhost")) })
        {
            var parent = await git.CreateRepositoryAsync(name);
            await parent.CommitAsync(Files(("parent.yaml", "parent: 1\n")));
            await parent.RunAsync("-c", "protocol.file.allow=always", "submodule", "add", "-q", child.Bare, "vendor/child");
            await parent.RunAsync("config", "-f", ".gitmodules", "submodule.vendor/child.url", submoduleUrl);
            heads[name] = await parent.CommitAsync(Files(), "add the child");
            await CreateAsync(name, git.AuthUrl(name), new JsonObject { ["branch"] = "main" },
                new JsonObject { ["recurseSubmodules"] = true, ["secretRef"] = Ref("sm-auth") });
        }

        await harness.WaitForReadyAsync("sm-auth-same", c => IsTrue(c) && Message(c).Contains(heads["sm-auth-same"]), resource: Git);
        var files = await SourceControllerHarness.DownloadAsync((await harness.GetAsync("sm-auth-same", Git))["status"]!["artifact"]!);
        Assert.Equal("child: 1\n", files["vendor/child/child.yaml"]);
        var other = await harness.WaitForReadyAsync("sm-auth-other", IsFalse, resource: Git);
        Assert.Equal($"failed to checkout and determine revision: unable to clone '{git.AuthUrl("sm-auth-other")}': authentication required", Message(other));
    }

    [Fact]
    public async Task SubmodulesWithLocalUrlsAreRefused()
    {
        var secret = await git.CreateRepositoryAsync("sm-secret");
        var secretHead = await secret.CommitAsync(Files(("host-only.yaml", "secret: 1\n")));
        var cases = new[] { ("sm-file", "file://" + secret.Bare), ("sm-path", secret.Bare) };
        foreach (var (name, url) in cases)
        {
            var hostile = await git.CreateRepositoryAsync(name);
            await hostile.CommitAsync(Files(("app.yaml", "app: 1\n"), (".gitmodules", $"[submodule \"evil\"]\n\tpath = evil\n\turl = {url}\n")));
            await hostile.RunAsync("update-index", "--add", "--cacheinfo", $"160000,{secretHead},evil");
            await hostile.RunAsync("commit", "-q", "-m", "evil submodule");
            await hostile.RunAsync("push", "-q", "-f", "origin", "HEAD:refs/heads/main");
            await CreateAsync(name, git.AnonymousUrl(name), new JsonObject { ["branch"] = "main" }, new JsonObject { ["recurseSubmodules"] = true });
        }

        foreach (var (name, url) in cases)
        {
            var failed = await harness.WaitForReadyAsync(name, IsFalse, resource: Git);
            Assert.Equal("GitOperationFailed", failed["reason"]!.GetValue<string>());
            Assert.Equal($"failed to checkout and determine revision: unable to clone '{git.AnonymousUrl(name)}': submodule 'evil' has the URL '{url}': "
                + "only http, https and ssh submodules, or paths relative to the repository URL, are allowed", Message(failed));
            Assert.Null((await harness.GetAsync(name, Git))["status"]!["artifact"]);
        }
    }
}
