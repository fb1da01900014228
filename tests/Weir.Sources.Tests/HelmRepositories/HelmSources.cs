using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Kube;
using Weir.Sources.Tests.OciRepositories;

namespace Weir.Sources.Tests.HelmRepositories;

/// <summary>Creating HelmRepositories, HelmCharts and Secrets in flux-system, and reading what they store.</summary>
public static class HelmSources
{
    public static bool IsTrue(JsonObject c) => c["status"]!.GetValue<string>() == "True";

    public static bool IsFalse(JsonObject c) => c["status"]!.GetValue<string>() == "False";

    /// <summary>Failed for a reason of its own: not only waiting for the source's first artifact (NoSourceArtifact).</summary>
    public static bool Failed(JsonObject c) => IsFalse(c) && Reason(c) != "NoSourceArtifact";

    public static string Message(JsonObject c) => c["message"]!.GetValue<string>();

    public static string Reason(JsonObject c) => c["reason"]!.GetValue<string>();

    public static Task<JsonObject> CreateHelmRepositoryAsync(this SourceControllerHarness harness, string name, string url, JsonObject? extra = null)
    {
        var spec = new JsonObject { ["url"] = url, ["interval"] = "10m" };
        foreach (var (k, v) in extra ?? [])
        {
            spec[k] = v?.DeepClone();
        }

        return harness.Client.CreateAsync(KubeResource.HelmRepository, Object("HelmRepository", name, spec));
    }

    public static Task<JsonObject> CreateHelmChartAsync(this SourceControllerHarness harness, string name, string chart, string sourceName,
        string? version = null, JsonObject? extra = null, string sourceKind = "HelmRepository")
    {
        var spec = new JsonObject
        {
            ["chart"] = chart,
            ["sourceRef"] = new JsonObject { ["kind"] = sourceKind, ["name"] = sourceName },
            ["interval"] = "10m",
        };
        if (version is not null)
        {
            spec["version"] = version;
        }

        foreach (var (k, v) in extra ?? [])
        {
            spec[k] = v?.DeepClone();
        }

        return harness.Client.CreateAsync(KubeResource.HelmChart, Object("HelmChart", name, spec));
    }

    /// <summary>A GitRepository following <c>main</c> of <paramref name="url"/>.</summary>
    public static Task<JsonObject> CreateGitRepositoryAsync(this SourceControllerHarness harness, string name, string url) =>
        harness.Client.CreateAsync(KubeResource.GitRepository, Object("GitRepository", name,
            new JsonObject { ["url"] = url, ["interval"] = "10m", ["ref"] = new JsonObject { ["branch"] = "main" } }));

    public static Task<JsonObject> CreateSecretAsync(this SourceControllerHarness harness, string name, IReadOnlyDictionary<string, string> data) =>
        harness.Client.CreateAsync(KubeResource.Secret, SecretObject(name, data));

    public static Task<JsonObject> ReplaceSecretAsync(this SourceControllerHarness harness, string name, IReadOnlyDictionary<string, string> data) =>
        harness.Client.PatchAsync(KubeResource.Secret, new ObjectKey("flux-system", name), new JsonObject { ["data"] = SecretObject(name, data)["data"]!.DeepClone() }, "merge");

    public static Task<JsonObject> WaitForRepositoryAsync(this SourceControllerHarness harness, string name, Func<JsonObject, bool> condition) =>
        harness.WaitForReadyAsync(name, condition, resource: KubeResource.HelmRepository);

    public static Task<JsonObject> WaitForChartAsync(this SourceControllerHarness harness, string name, Func<JsonObject, bool> condition) =>
        harness.WaitForReadyAsync(name, condition, resource: KubeResource.HelmChart);

    /// <summary>The stored artifact, downloaded from its URL as a consumer (the HelmRelease controller) would.</summary>
    public static async Task<byte[]> DownloadAsync(JsonNode artifact)
    {
        using var http = new HttpClient();
        return await http.GetByteArrayAsync(artifact["url"]!.GetValue<string>());
    }

    private static JsonObject Object(string kind, string name, JsonObject spec) => new()
    {
        ["apiVersion"] = "source.toolkit.fluxcd.io/v1",
        ["kind"] = kind,
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "flux-system" },
        ["spec"] = spec,
    };

    private static JsonObject SecretObject(string name, IReadOnlyDictionary<string, string> data) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Secret",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "flux-system" },
        ["data"] = new JsonObject(data.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)Convert.ToBase64String(Encoding.UTF8.GetBytes(d.Value))))),
    };
}
