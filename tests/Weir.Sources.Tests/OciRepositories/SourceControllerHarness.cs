using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Hosting;
using Weir.Oci.Artifacts;
using Weir.Oci.Auth;
using Weir.Runtime.Kube;
using Weir.Sources.GitRepositories;
using Weir.Sources.HelmRepositories;
using Weir.Sources.OciRepositories;
using Weir.Testing;

namespace Weir.Sources.Tests.OciRepositories;

/// <summary>
/// The controllers as <c>weir up</c> runs them (the shared <see cref="ControllerStack"/>), with a small artifact size
/// limit and a small checkout limit for the oversized cases, and helpers for OCIRepositories (and, with
/// <c>resource</c>, for GitRepositories).
/// </summary>
public sealed class SourceControllerHarness : ControllerStack
{
    protected override ControllerSetOptions Options =>
        base.Options with
        {
            OCIRepository = new OCIRepositoryOptions { MaxArtifactSize = 2 * 1024 * 1024 },
            GitRepository = GitOptions,
            HelmRepository = HelmOptions,
        };

    /// <summary>Settings of the HelmRepository controller under test (a small index limit for the oversized case).</summary>
    public static HelmRepositoryOptions HelmOptions { get; } = new() { MaxIndexSize = 1024 * 1024 };

    /// <summary>Settings of the GitRepository controller under test (a small checkout limit for the oversized case).</summary>
    public static GitRepositoryOptions GitOptions { get; } = new() { MaxCheckoutSize = 4 * 1024 * 1024, RequeueDependency = TimeSpan.FromSeconds(1) };

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
    public Task RequestReconcileAsync(string name, KubeResource? resource = null) =>
        RequestReconcileAsync(resource ?? KubeResource.OCIRepository, name);

    public Task<JsonObject> PatchSpecAsync(string name, JsonObject spec, KubeResource? resource = null) =>
        Client.PatchAsync(resource ?? KubeResource.OCIRepository, new ObjectKey("flux-system", name), new JsonObject { ["spec"] = spec }, "merge");

    /// <summary>Waits until the source's Ready condition satisfies <paramref name="condition"/>; returns that condition.</summary>
    public Task<JsonObject> WaitForReadyAsync(string name, Func<JsonObject, bool> condition, TimeSpan? timeout = null, KubeResource? resource = null) =>
        WaitForReadyAsync(resource ?? KubeResource.OCIRepository, name, condition, timeout);

    public async Task<JsonObject> GetAsync(string name, KubeResource? resource = null) =>
        (await Client.GetAsync(resource ?? KubeResource.OCIRepository, new ObjectKey("flux-system", name)))!;

    /// <summary>Creates a Secret in flux-system with these keys.</summary>
    public Task<JsonObject> CreateSecretAsync(string name, params (string Key, string Value)[] data) =>
        Client.CreateAsync(KubeResource.Secret, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "flux-system" },
            ["data"] = new JsonObject(data.Select(d => KeyValuePair.Create(d.Key, (JsonNode?)Convert.ToBase64String(Encoding.UTF8.GetBytes(d.Value))))),
        });

    /// <summary>Waits until the object's <c>lastHandledReconcileAt</c> echoes its reconcile request.</summary>
    public async Task WaitForHandledAsync(string name, KubeResource resource)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var obj = await GetAsync(name, resource);
            var requested = obj.Metadata()?["annotations"]?["reconcile.fluxcd.io/requestedAt"]?.GetValue<string>();
            if (requested is not null && obj["status"]?["lastHandledReconcileAt"]?.GetValue<string>() == requested)
            {
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{name}: reconcile request never handled");
    }

    /// <summary>What the controller wrote about the object (its status and the events): nothing secret may be in either.</summary>
    public async Task<string> EverythingAboutAsync(KubeResource resource, string name)
    {
        var (events, _) = await Client.ListAsync(KubeResource.Event, "flux-system");
        return (await GetAsync(name, resource))["status"]!.ToJsonString() + string.Join("\n", events.Select(e => e.ToJsonString()));
    }

    /// <summary>The regular files of a published artifact, downloaded from its URL, by path.</summary>
    public static async Task<Dictionary<string, string>> DownloadAsync(JsonNode artifact)
    {
        using var http = new HttpClient();
        var bytes = await http.GetByteArrayAsync(artifact["url"]!.GetValue<string>());
        var files = new Dictionary<string, string>();
        using var tar = new TarReader(new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress));
        while (await tar.GetNextEntryAsync() is { } entry)
        {
            if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
            {
                using var reader = new StreamReader(entry.DataStream!);
                files[entry.Name] = await reader.ReadToEndAsync();
            }
            else
            {
                Assert.Equal(TarEntryType.Directory, entry.EntryType);
            }
        }

        return files;
    }
}
