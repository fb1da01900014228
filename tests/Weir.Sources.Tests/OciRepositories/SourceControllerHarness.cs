using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Hosting;
using Weir.Oci.Artifacts;
using Weir.Oci.Auth;
using Weir.Runtime.Kube;
using Weir.Sources.OciRepositories;
using Weir.Testing;

namespace Weir.Sources.Tests.OciRepositories;

/// <summary>
/// The controllers as <c>weir up</c> runs them (the shared <see cref="ControllerStack"/>), with a small artifact size
/// limit for the oversized-artifact case, and helpers for OCIRepositories.
/// </summary>
public sealed class SourceControllerHarness : ControllerStack
{
    protected override ControllerSetOptions Options =>
        base.Options with { OCIRepository = new OCIRepositoryOptions { MaxArtifactSize = 2 * 1024 * 1024 } };

    /// <summary>Pushes one file, <c>deploy.yaml</c>, as <c>host/repository:tag</c>.</summary>
    public static Task<ArtifactPushResult> PushAsync(string host, string repository, string tag, string content, RegistryCredentials? credentials = null) =>
        TestArtifacts.PushAsync(host, repository, tag, new Dictionary<string, string> { ["deploy.yaml"] = content }, credentials);

    public Task<JsonObject> CreateRepositoryAsync(string name, string url, JsonObject reference, string interval = "10m", JsonObject? extra = null)
    {
        var spec = new JsonObject { ["url"] = url, ["interval"] = interval, ["insecure"] = true, ["ref"] = reference };
        foreach (var (k, v) in extra ?? [])
        {
            spec[k] = v?.DeepClone();
        }

        return Client.CreateAsync(KubeResource.OCIRepository, new JsonObject
        {
            ["apiVersion"] = "source.toolkit.fluxcd.io/v1",
            ["kind"] = "OCIRepository",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "flux-system" },
            ["spec"] = spec,
        });
    }

    /// <summary>Asks for an immediate reconcile, as <c>flux reconcile source oci</c> does.</summary>
    public Task RequestReconcileAsync(string name) => RequestReconcileAsync(KubeResource.OCIRepository, name);

    public Task<JsonObject> PatchSpecAsync(string name, JsonObject spec) =>
        Client.PatchAsync(KubeResource.OCIRepository, new ObjectKey("flux-system", name), new JsonObject { ["spec"] = spec }, "merge");

    /// <summary>Waits until the OCIRepository's Ready condition satisfies <paramref name="condition"/>; returns that condition.</summary>
    public Task<JsonObject> WaitForReadyAsync(string name, Func<JsonObject, bool> condition, TimeSpan? timeout = null) =>
        WaitForReadyAsync(KubeResource.OCIRepository, name, condition, timeout);

    public async Task<JsonObject> GetAsync(string name) =>
        (await Client.GetAsync(KubeResource.OCIRepository, new ObjectKey("flux-system", name)))!;
}
