using System.Text.Json.Nodes;
using Weir.Runtime.Kube;
using Weir.Sources.Tests.OciRepositories;
using Weir.Testing;

namespace Weir.Sources.Tests.GitRepositories;

/// <summary>spec.verify against commits and tags signed by the test with real gpg keys it generates.</summary>
public sealed class GitVerificationTests(SourceControllerHarness harness, GitServerFixture git)
    : IClassFixture<SourceControllerHarness>, IClassFixture<GitServerFixture>, IAsyncLifetime
{
    private static readonly KubeResource Git = KubeResource.GitRepository;
    private readonly string _home = TestEnv.TempDir("weir-gpg-");
    private GpgKey _trusted = null!;
    private GpgKey _stranger = null!;

    public async Task InitializeAsync()
    {
        _trusted = await GpgKey.CreateAsync(Path.Combine(_home, "trusted"), "Weir Signer <signer@weir.invalid>");
        _stranger = await GpgKey.CreateAsync(Path.Combine(_home, "stranger"), "Someone Else <else@weir.invalid>");
        await harness.CreateSecretAsync("pgp-keys", ("signer.asc", _trusted.PublicKey));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_home, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task SignedCommitsAndTagsVerifyAndUnsignedOrForeignSignaturesStoreNothing()
    {
        var repo = await git.CreateRepositoryAsync("signed");
        await repo.CommitAsync(new Dictionary<string, string?> { ["app.yaml"] = "v: 1\n" });
        var signed = await _trusted.CommitAsync(repo, "main");
        await _trusted.TagAsync(repo, "v1.0.0");
        var foreign = await _stranger.CommitAsync(repo, "foreign");
        await repo.RunAsync("push", "-q", "origin", $"{signed}:refs/heads/signed-only");
        var unsigned = await repo.CommitAsync(new Dictionary<string, string?> { ["app.yaml"] = "v: 2\n" }, "unsigned", branch: "unsigned");

        await CreateAsync("verify-head", new JsonObject { ["branch"] = "signed-only" }, "HEAD");
        await CreateAsync("verify-both", new JsonObject { ["tag"] = "v1.0.0" }, "TagAndHEAD");
        await CreateAsync("verify-unsigned", new JsonObject { ["branch"] = "unsigned" }, "HEAD");
        await CreateAsync("verify-foreign", new JsonObject { ["branch"] = "foreign" }, "HEAD");
        await CreateAsync("verify-tag-on-branch", new JsonObject { ["branch"] = "main" }, "Tag");

        await harness.WaitForReadyAsync("verify-head", StatusConditions.IsTrue, resource: Git);
        Assert.Equal($"verified signature of\n\t- commit '{signed}' with key '{_trusted.KeyId}'", await SourceVerifiedAsync("verify-head", "True"));
        Assert.Equal("HEAD", (await harness.GetAsync("verify-head", Git))["status"]!["sourceVerificationMode"]!.GetValue<string>());

        await harness.WaitForReadyAsync("verify-both", StatusConditions.IsTrue, resource: Git);
        Assert.Equal($"verified signature of\n\t- tag 'v1.0.0@sha1:{signed}' with key '{_trusted.KeyId}'\n\t- commit '{signed}' with key '{_trusted.KeyId}'",
            await SourceVerifiedAsync("verify-both", "True"));

        var failures = new (string Name, string Reason, string Message)[]
        {
            ("verify-unsigned", "InvalidCommitSignature",
                $"signature verification of commit '{unsigned}' failed: unable to verify Git commit: unable to verify payload as the provided signature is empty"),
            ("verify-foreign", "InvalidCommitSignature",
                $"signature verification of commit '{foreign}' failed: unable to verify Git commit: unable to verify payload with any of the given key rings"),
            ("verify-tag-on-branch", "InvalidVerificationMode", "cannot verify tag object's signature if a tag reference is not specified"),
        };
        foreach (var (name, reason, message) in failures)
        {
            var ready = await harness.WaitForReadyAsync(name, StatusConditions.IsFalse, resource: Git);
            Assert.Equal(message, StatusConditions.Message(ready));
            Assert.Equal(reason, ready["reason"]!.GetValue<string>());
            Assert.Equal(message, await SourceVerifiedAsync(name, "False"));
            Assert.Null((await harness.GetAsync(name, Git))["status"]!["artifact"]);
        }
    }

    private async Task<string> SourceVerifiedAsync(string name, string status)
    {
        var conditions = (await harness.GetAsync(name, Git))["status"]!["conditions"]!.AsArray();
        var verified = conditions.Single(c => c!["type"]!.GetValue<string>() == "SourceVerified")!;
        Assert.Equal(status, verified["status"]!.GetValue<string>());
        return verified["message"]!.GetValue<string>();
    }

    private Task<JsonObject> CreateAsync(string name, JsonObject reference, string mode) =>
        harness.Client.CreateAsync(Git, new JsonObject
        {
            ["apiVersion"] = "source.toolkit.fluxcd.io/v1",
            ["kind"] = "GitRepository",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "flux-system" },
            ["spec"] = new JsonObject
            {
                ["url"] = git.AnonymousUrl("signed"),
                ["interval"] = "10m",
                ["ref"] = reference,
                ["verify"] = new JsonObject { ["mode"] = mode, ["secretRef"] = new JsonObject { ["name"] = "pgp-keys" } },
            },
        });

    /// <summary>A gpg key generated in its own GNUPGHOME, and git signing with it through a gpg wrapper.</summary>
    private sealed record GpgKey(string Home, string KeyId, string PublicKey, string Program)
    {
        public static async Task<GpgKey> CreateAsync(string home, string uid)
        {
            Directory.CreateDirectory(home);
            string[] batch = ["--homedir", home, "--batch", "--pinentry-mode", "loopback", "--passphrase", ""];
            var created = await TestProcess.RunAsync("gpg", [.. batch, "--quick-gen-key", uid, "ed25519", "sign", "1d"]);
            Assert.True(created.Code == 0, created.ToString());
            var listing = await TestProcess.RunAsync("gpg", ["--homedir", home, "--batch", "--with-colons", "--list-keys"]);
            var keyId = listing.Out.Split('\n').First(l => l.StartsWith("pub:", StringComparison.Ordinal)).Split(':')[4];
            var exported = await TestProcess.RunAsync("gpg", ["--homedir", home, "--batch", "--armor", "--export"]);
            var program = Path.Combine(home, "sign.sh");
            await File.WriteAllTextAsync(program, $"#!/bin/sh\nexec gpg --homedir '{home}' --batch --pinentry-mode loopback --passphrase '' \"$@\"\n");
            Assert.Equal(0, (await TestProcess.RunAsync("chmod", ["+x", program])).Code);
            return new GpgKey(home, keyId, exported.Out, program);
        }

        /// <summary>Makes a signed commit on <paramref name="branch"/> (from the current HEAD) and pushes it.</summary>
        public async Task<string> CommitAsync(TestGitRepository repo, string branch)
        {
            await repo.RunAsync("-c", $"gpg.program={Program}", "-c", $"user.signingkey={KeyId}", "commit", "-q", "-S", "--allow-empty", "-m", $"signed by {KeyId}");
            await repo.RunAsync("push", "-q", "-f", "origin", $"HEAD:refs/heads/{branch}");
            return await repo.HeadAsync();
        }

        public async Task TagAsync(TestGitRepository repo, string tag)
        {
            await repo.RunAsync("-c", $"gpg.program={Program}", "-c", $"user.signingkey={KeyId}", "tag", "-s", "-m", $"release {tag}", tag);
            await repo.RunAsync("push", "-q", "origin", $"refs/tags/{tag}");
        }
    }
}
