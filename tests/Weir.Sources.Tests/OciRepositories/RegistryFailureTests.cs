using System.Text;
using System.Text.Json.Nodes;
using Weir.Runtime.Kube;
using Weir.Testing;

namespace Weir.Sources.Tests.OciRepositories;

public sealed class RegistryOutageTests(SourceControllerHarness harness, DockerRegistryFixture registry)
    : IClassFixture<SourceControllerHarness>, IClassFixture<DockerRegistryFixture>
{
    [Fact]
    public async Task RegistryDownFailsWithinOneIntervalAndRecoversByItself()
    {
        var pushed = await SourceControllerHarness.PushAsync(registry.Host, "outage-app", "v1.0.0", "v: 1");
        await harness.CreateRepositoryAsync("outage-app", $"oci://{registry.Host}/outage-app", new JsonObject { ["tag"] = "v1.0.0" }, interval: "3s");
        await harness.WaitForReadyAsync("outage-app", c => c["status"]!.GetValue<string>() == "True");

        await registry.StopAsync();
        var failed = await harness.WaitForReadyAsync("outage-app", c => c["status"]!.GetValue<string>() == "False", TimeSpan.FromSeconds(20));
        var message = failed["message"]!.GetValue<string>();
        Assert.StartsWith("failed to determine artifact digest: ", message);
        Assert.Contains(registry.Host, message);
        var artifact = (await harness.GetAsync("outage-app"))["status"]!["artifact"]!;
        Assert.Equal($"v1.0.0@{pushed.Digest}", artifact["revision"]!.GetValue<string>());

        await registry.StartAsync();
        var recovered = await harness.WaitForReadyAsync("outage-app", c => c["status"]!.GetValue<string>() == "True", TimeSpan.FromSeconds(20));
        Assert.Equal($"stored artifact for digest 'v1.0.0@{pushed.Digest}'", recovered["message"]!.GetValue<string>());
    }
}

public sealed class RegistryAuthTests(SourceControllerHarness harness, AuthDockerRegistryFixture registry)
    : IClassFixture<SourceControllerHarness>, IClassFixture<AuthDockerRegistryFixture>
{
    private Task CreateSecretAsync(string name, string user, string password)
    {
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        var config = new JsonObject
        {
            ["auths"] = new JsonObject { [registry.Host] = new JsonObject { ["auth"] = auth } },
        }.ToJsonString();
        return harness.Client.CreateAsync(KubeResource.Secret, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["type"] = "kubernetes.io/dockerconfigjson",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "flux-system" },
            ["data"] = new JsonObject { [".dockerconfigjson"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(config)) },
        });
    }

    [Fact]
    public async Task RightCredentialsPullAndWrongOnesSayWhy()
    {
        var pushed = await SourceControllerHarness.PushAsync(registry.Host, "private-app", "v1.0.0", "v: 1", registry.Credentials);
        await CreateSecretAsync("good-creds", registry.Credentials!.Username, registry.Credentials.Password);
        await CreateSecretAsync("expired-creds", registry.Credentials.Username, "expired-" + Guid.NewGuid().ToString("N"));
        var secretRef = (string name) => new JsonObject { ["secretRef"] = new JsonObject { ["name"] = name } };

        await harness.CreateRepositoryAsync("private-ok", $"oci://{registry.Host}/private-app", new JsonObject { ["tag"] = "v1.0.0" }, extra: secretRef("good-creds"));
        var ok = await harness.WaitForReadyAsync("private-ok", c => c["status"]!.GetValue<string>() == "True");
        Assert.Equal($"stored artifact for digest 'v1.0.0@{pushed.Digest}'", ok["message"]!.GetValue<string>());

        await harness.CreateRepositoryAsync("private-expired", $"oci://{registry.Host}/private-app", new JsonObject { ["tag"] = "v1.0.0" }, extra: secretRef("expired-creds"));
        var denied = await harness.WaitForReadyAsync("private-expired", c => c["status"]!.GetValue<string>() == "False");
        var message = denied["message"]!.GetValue<string>();
        Assert.StartsWith("failed to determine artifact digest: ", message);
        Assert.Contains("401", message);
        Assert.DoesNotContain("expired-", message);

        await harness.CreateRepositoryAsync("private-anonymous", $"oci://{registry.Host}/private-app", new JsonObject { ["tag"] = "v1.0.0" });
        var anonymous = await harness.WaitForReadyAsync("private-anonymous", c => c["status"]!.GetValue<string>() == "False");
        Assert.Contains("401", anonymous["message"]!.GetValue<string>());

        await harness.CreateRepositoryAsync("private-missing", $"oci://{registry.Host}/private-app", new JsonObject { ["tag"] = "v1.0.0" }, extra: secretRef("no-such-secret"));
        var missing = await harness.WaitForReadyAsync("private-missing", c => c["status"]!.GetValue<string>() == "False");
        Assert.Equal("failed to get credential: secrets \"no-such-secret\" not found", missing["message"]!.GetValue<string>());
        Assert.Equal("AuthenticationFailed", missing["reason"]!.GetValue<string>());
    }
}
