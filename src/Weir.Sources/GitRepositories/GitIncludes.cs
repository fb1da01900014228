using System.Text.Json.Nodes;
using Weir.Core.Api.Source;
using Weir.Core.Conditions;
using Weir.Core.Files;
using Weir.Core.Objects;
using Weir.Runtime.Artifacts;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;
using Weir.Sources.Storage;

namespace Weir.Sources.GitRepositories;

/// <summary>
/// <c>spec.include</c> as source-controller applies it: each included GitRepository's stored artifact is unpacked and
/// its <c>fromPath</c> (the root when empty) replaces <c>toPath</c> (the repository's name when empty) in the checkout.
/// The included artifacts end up in <c>status.includedArtifacts</c>; a change of one rebuilds the artifact. A missing
/// repository or one without an artifact fails with source-controller's message (<c>IncludeUnavailable</c>, retried
/// soon); a path that leads out of its artifact, or a <c>toPath</c> through a symbolic link of the checkout, fails
/// before anything is copied.
/// </summary>
public sealed class GitIncludes(ResourceClient client, ArtifactStore store, TimeSpan retryAfter)
{
    /// <summary>The artifacts of the included repositories, in the order of <c>spec.include</c>.</summary>
    public async Task<IReadOnlyList<JsonObject>> FetchAsync(ObjectKey self, IReadOnlyList<GitRepositoryInclude> includes, CancellationToken cancellationToken)
    {
        var ns = self.Namespace;
        var artifacts = new List<JsonObject>();
        foreach (var include in includes)
        {
            var name = include.Repository?.Name ?? "";
            _ = PathsOf(include);
            if (name == self.Name)
            {
                // Its own artifact changes with every build, so each build would ask for the next.
                throw IllegalPath($"include '{name}' refers to the GitRepository itself");
            }

            var repository = name.Length == 0 ? null : await client.GetAsync(KubeResource.GitRepository, new ObjectKey(ns, name), cancellationToken);
            if (repository is null)
            {
                throw Unavailable("NotFound", $"could not get resource for include '{name}': gitrepositories.source.toolkit.fluxcd.io \"{name}\" not found");
            }

            if (repository["status"]?["artifact"] is not JsonObject artifact)
            {
                throw Unavailable("NoArtifact", $"no artifact available for include '{name}'");
            }

            artifacts.Add((JsonObject)artifact.DeepClone());
        }

        return artifacts;
    }

    /// <summary>True when <paramref name="previous"/> (a status's <c>includedArtifacts</c>) names other revisions or digests.</summary>
    public static bool Differ(IReadOnlyList<JsonObject> artifacts, JsonNode? previous)
    {
        var before = previous as JsonArray ?? [];
        return before.Count != artifacts.Count || artifacts.Where((a, i) =>
            Field(a, "revision") != Field(before[i], "revision") || Field(a, "digest") != Field(before[i], "digest")).Any();
    }

    /// <summary>Copies every include into <paramref name="tree"/>; <paramref name="work"/> holds the unpacked artifacts.</summary>
    public async Task CopyAsync(IReadOnlyList<GitRepositoryInclude> includes, IReadOnlyList<JsonObject> artifacts, string tree, string work,
        CancellationToken cancellationToken)
    {
        var checkout = new RootedFileSystem(tree);
        for (var i = 0; i < includes.Count; i++)
        {
            var include = includes[i];
            var name = include.Repository!.Name!;
            var (fromPath, toPath) = PathsOf(include);
            try
            {
                var unpacked = Path.Combine(work, $"include-{i}");
                await using (var archive = store.OpenRead(Field(artifacts[i], "path") ?? throw new IOException("the artifact has no path")))
                {
                    await SafeExtractor.ExtractAsync(archive, unpacked, null, cancellationToken);
                }

                var source = fromPath.Length == 0 ? unpacked : Path.Combine(unpacked, fromPath);
                var destination = checkout.ResolveForWriting(toPath);
                if (Directory.Exists(destination))
                {
                    Directory.Delete(destination, recursive: true);
                }
                else if (File.Exists(destination))
                {
                    File.Delete(destination);
                }

                Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                if (Directory.Exists(source))
                {
                    Directory.Move(source, destination);
                }
                else if (File.Exists(source))
                {
                    File.Move(source, destination);
                }
                else
                {
                    throw new IOException($"'{fromPath}' does not exist in the artifact of '{name}'");
                }
            }
            catch (Exception e) when (e is IOException or ArchiveException or UnauthorizedAccessException)
            {
                throw Unavailable("CopyFailure", $"failed to copy '{name}' include from '{include.FromPath}' to '{include.ToPath ?? name}': {e.Message}");
            }
        }
    }

    /// <summary>The include paths relative to their roots, cleaned; one that leads out of its root fails.</summary>
    private (string FromPath, string ToPath) PathsOf(GitRepositoryInclude include)
    {
        var name = include.Repository?.Name ?? "";
        var toPath = SecurePath.Clean(include.ToPath is { Length: > 0 } to ? to : name);
        if (toPath is null or "")
        {
            throw IllegalPath($"path calculation for include '{name}' failed: toPath '{include.ToPath}' leads out of the artifact or names its root");
        }

        var fromPath = SecurePath.Clean(include.FromPath ?? "")
            ?? throw IllegalPath($"path calculation for include '{name}' failed: fromPath '{include.FromPath}' leads out of the included artifact");
        return (fromPath, toPath);
    }

    private ReconcileFailure Unavailable(string reason, string message) =>
        new(reason, message, ConditionTypes.IncludeUnavailable) { RetryAfter = retryAfter };

    // A path in the spec cannot become valid by waiting.
    private static ReconcileFailure IllegalPath(string message) => new("IllegalPath", message, ConditionTypes.IncludeUnavailable, stalled: true);

    private static string? Field(JsonNode? artifact, string field) => artifact?[field]?.GetValue<string>();
}
