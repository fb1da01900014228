using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Core.Api.SourceExtensions;
using Weir.Core.Objects;
using Weir.Runtime.Kube;

namespace Weir.Sources.ArtifactGenerators;

/// <summary>The artifact a source offers when the generator looks: its digest, revision, origin revision and URL.</summary>
public sealed record ObservedSource(string Digest, string Revision, string? OriginRevision, string Url);

/// <summary>A source cannot be read yet (missing, no artifact): the generator waits and looks again.</summary>
public sealed class SourceNotReadyException(string message) : Exception(message);

/// <summary>
/// Reads the artifact of every <c>spec.sources</c> entry, of any source kind the kind registry knows, and digests what
/// it saw (<c>status.observedSourcesDigest</c>): one line per alias with digest, revision and URL, sorted and hashed,
/// so any new artifact of any source shows as a different digest.
/// </summary>
public static class ObservedSources
{
    public const string OriginRevisionKey = "org.opencontainers.image.revision";

    public static async Task<IReadOnlyDictionary<string, ObservedSource>> ReadAsync(
        ResourceClient client, string ns, IEnumerable<ArtifactSourceReference> references, CancellationToken cancellationToken)
    {
        var observed = new Dictionary<string, ObservedSource>(StringComparer.Ordinal);
        foreach (var reference in references)
        {
            var sourceNs = reference.Namespace is { Length: > 0 } n ? n : ns;
            var resource = KindRegistry.Source(reference.Kind)?.Resource
                ?? throw new SourceNotReadyException($"source `{reference.Name}` kind '{reference.Kind}' not supported");
            JsonObject? source;
            try
            {
                source = await client.GetAsync(resource, new ObjectKey(sourceNs, reference.Name ?? ""), cancellationToken);
            }
            catch (KubeApiException e)
            {
                throw new SourceNotReadyException($"unable to get source '{sourceNs}/{reference.Name}': {e.Message}");
            }

            if (source is null)
            {
                throw new SourceNotReadyException($"{resource.Plural}.{resource.Group} \"{reference.Name}\" not found");
            }

            if (source["status"]?["artifact"] is not JsonObject artifact)
            {
                throw new SourceNotReadyException($"source '{reference.Kind}/{sourceNs}/{reference.Name}' is not ready");
            }

            observed[reference.Alias ?? ""] = new ObservedSource(
                Text(artifact, "digest"), Text(artifact, "revision"), artifact["metadata"]?[OriginRevisionKey]?.GetValue<string>(), Text(artifact, "url"));
        }

        return observed;
    }

    /// <summary><c>sha256:&lt;hex&gt;</c> of the sorted <c>alias=[digest=…,revision=…,url=…]</c> lines.</summary>
    public static string Digest(IReadOnlyDictionary<string, ObservedSource> sources)
    {
        var parts = sources.Select(s => $"{s.Key}=[digest={s.Value.Digest},revision={s.Value.Revision},url={s.Value.Url}]")
            .Order(StringComparer.Ordinal);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('|', parts))));
    }

    private static string Text(JsonObject artifact, string field) => artifact[field]?.GetValue<string>() ?? "";
}
