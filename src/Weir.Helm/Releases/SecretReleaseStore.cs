using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Kube;

namespace Weir.Helm.Releases;

/// <summary>
/// Helm's Secret storage driver: one Secret per revision, <c>sh.helm.release.v1.NAME.vN</c>, type
/// <c>helm.sh/release.v1</c>, labels <c>name</c>, <c>owner=helm</c>, <c>status</c>, <c>version</c> (and
/// <c>createdAt</c>/<c>modifiedAt</c>), the record under <c>data.release</c>. Helm and Weir read each other's records.
/// </summary>
public sealed class SecretReleaseStore(ResourceClient client, string ns)
{
    public const string SecretType = "helm.sh/release.v1";
    private const string Owner = "helm";
    private static readonly string[] SystemLabels = ["name", "owner", "status", "version", "createdAt", "modifiedAt"];

    public string Namespace => ns;

    public static string Key(string name, int version) => $"sh.helm.release.v1.{name}.v{version}";

    /// <exception cref="ReleaseExistsException">That revision is stored already.</exception>
    public async Task CreateAsync(Release release, CancellationToken cancellationToken = default)
    {
        var secret = ToSecret(release, "createdAt");
        try
        {
            await client.CreateAsync(KubeResource.Secret, secret, cancellationToken);
        }
        catch (KubeApiException e) when (e.IsConflict || e.Reason == "AlreadyExists")
        {
            throw new ReleaseExistsException();
        }
    }

    /// <summary>Replaces the stored revision (Helm's <c>Update</c>: a PUT of the whole Secret).</summary>
    public async Task UpdateAsync(Release release, CancellationToken cancellationToken = default)
    {
        var secret = ToSecret(release, "modifiedAt");
        await client.ReplaceAsync(KubeResource.Secret, secret, cancellationToken);
    }

    /// <exception cref="ReleaseNotFoundException">No such revision.</exception>
    public async Task<Release> GetAsync(string name, int version, CancellationToken cancellationToken = default)
    {
        var secret = await client.GetAsync(KubeResource.Secret, new ObjectKey(ns, Key(name, version)), cancellationToken)
            ?? throw new ReleaseNotFoundException();
        return FromSecret(secret);
    }

    /// <summary>Every stored revision of the release, oldest first.</summary>
    public async Task<IReadOnlyList<Release>> HistoryAsync(string name, CancellationToken cancellationToken = default)
    {
        var (items, _) = await client.ListAsync(KubeResource.Secret, ns, $"name={name},owner={Owner}", cancellationToken);
        return items.Select(FromSecret).OrderBy(r => r.Version).ToList();
    }

    /// <summary>The newest revision, or null when the release has no records.</summary>
    public async Task<Release?> LastAsync(string name, CancellationToken cancellationToken = default) =>
        (await HistoryAsync(name, cancellationToken)).LastOrDefault();

    /// <summary>The newest revision in status <c>deployed</c>, or null.</summary>
    public async Task<Release?> DeployedAsync(string name, CancellationToken cancellationToken = default) =>
        (await HistoryAsync(name, cancellationToken)).LastOrDefault(r => r.Info.Status == ReleaseStatus.Deployed);

    public async Task DeleteAsync(string name, int version, CancellationToken cancellationToken = default)
    {
        if (!await client.DeleteAsync(KubeResource.Secret, new ObjectKey(ns, Key(name, version)), cancellationToken))
        {
            throw new ReleaseNotFoundException();
        }
    }

    /// <summary>The Secret Helm would write for the record.</summary>
    public JsonObject ToSecret(Release release, string timestampLabel)
    {
        var labels = new JsonObject();
        foreach (var (k, v) in release.Labels.Where(l => !SystemLabels.Contains(l.Key)))
        {
            labels[k] = v;
        }

        labels[timestampLabel] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        labels["name"] = release.Name;
        labels["owner"] = Owner;
        labels["status"] = release.Info.Status;
        labels["version"] = release.Version.ToString(CultureInfo.InvariantCulture);

        // Secret data is base64 on the wire, so the base64 text of the record is encoded once more.
        var record = ReleaseCodec.Encode(release);
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = Key(release.Name, release.Version), ["namespace"] = ns, ["labels"] = labels },
            ["type"] = SecretType,
            ["data"] = new JsonObject { ["release"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(record)) },
        };
    }

    /// <summary>Reads a stored record; custom labels come back in <see cref="Release.Labels"/>.</summary>
    /// <exception cref="FormatException">The Secret holds no valid record.</exception>
    public static Release FromSecret(JsonObject secret)
    {
        var data = secret["data"]?["release"]?.GetValue<string>()
            ?? throw new FormatException($"secret {secret["metadata"]?["name"]} holds no release record");
        var release = ReleaseCodec.Decode(Encoding.ASCII.GetString(Convert.FromBase64String(data)));
        var labels = secret["metadata"]?["labels"] as JsonObject ?? [];
        return release with
        {
            Labels = labels.Where(l => !SystemLabels.Contains(l.Key) && l.Value is not null)
                .ToDictionary(l => l.Key, l => l.Value!.GetValue<string>()),
        };
    }
}
