using System.Globalization;
using Weir.Core.Api.Source;
using Weir.Oci.Versioning;

namespace Weir.Sources.GitRepositories;

/// <summary>
/// What <c>spec.ref</c> resolved to before anything was downloaded: the ref to fetch (or a commit hash), the commit
/// when the remote listed it, and the name its revision starts with (<c>main</c>, <c>v1.0.0</c>,
/// <c>refs/pull/420/head</c>, or none for a bare commit: <c>sha1:…</c>).
/// </summary>
public sealed record ResolvedRef(string FetchTarget, string? Hash, string? RevisionName)
{
    public string RevisionOf(string hash) => RevisionName is null ? $"sha1:{hash}" : $"{RevisionName}@sha1:{hash}";

    /// <summary>The revision when the remote listing already named the commit.</summary>
    public string? Revision => Hash is null ? null : RevisionOf(Hash);
}

/// <summary>A checked-out commit: its hash, Flux's revision string and its subject line.</summary>
public sealed record GitCommit(string Hash, string Revision, string Subject);

/// <summary>
/// Resolves a GitRepository's <c>spec.ref</c> with one <c>git ls-remote</c> (precedence commit &gt; name &gt; semver
/// &gt; tag &gt; branch, default branch <c>master</c>) and checks the commit out with a shallow fetch into a tree
/// kept apart from its git directory, so no <c>.git</c> ever reaches the artifact.
/// </summary>
public sealed class GitCheckout(GitCommand git, string url)
{
    public async Task<ResolvedRef> ResolveAsync(GitRepositoryRef? reference, CancellationToken cancellationToken)
    {
        if (reference?.Commit is { Length: > 0 } commit)
        {
            return new ResolvedRef(commit, commit, reference.Branch is { Length: > 0 } b ? b : null);
        }

        var remote = await ListRemoteAsync(cancellationToken);
        if (reference?.Name is { Length: > 0 } name)
        {
            return new ResolvedRef(name, Find(remote, name), name);
        }

        if (reference?.Semver is { Length: > 0 } range)
        {
            var tags = remote.Keys.Where(r => r.StartsWith("refs/tags/", StringComparison.Ordinal)).Select(r => r["refs/tags/".Length..]);
            var tag = SemverTagSelector.Select(tags, range);
            return new ResolvedRef("refs/tags/" + tag, Find(remote, "refs/tags/" + tag), tag);
        }

        if (reference?.Tag is { Length: > 0 } tagName)
        {
            return new ResolvedRef("refs/tags/" + tagName, Find(remote, "refs/tags/" + tagName), tagName);
        }

        var branch = reference?.Branch is { Length: > 0 } named ? named : "master";
        return new ResolvedRef("refs/heads/" + branch, Find(remote, "refs/heads/" + branch), branch);
    }

    /// <summary>
    /// Fetches the resolved commit (depth 1) into the bare repository <paramref name="gitDir"/>; a commit whose files
    /// add up to more than <paramref name="maxSize"/> bytes is refused before anything is checked out.
    /// </summary>
    public async Task<GitCommit> FetchAsync(ResolvedRef resolved, string gitDir, long maxSize, CancellationToken cancellationToken)
    {
        await git.RunAsync(null, ["init", "-q", "--bare", gitDir], cancellationToken);
        await git.RunAsync(gitDir, ["fetch", "-q", "--no-tags", "--depth=1", url, resolved.FetchTarget], cancellationToken);
        // One git process for the commit and its subject line (an annotated tag is peeled to its commit).
        var head = (await git.RunAsync(gitDir, ["log", "-1", "--format=%H%n%s", "FETCH_HEAD"], cancellationToken)).Split('\n', 2);
        var (hash, subject) = (head[0].Trim(), head.Length > 1 ? head[1].Trim() : "");

        var size = await TreeSizeAsync(gitDir, hash, cancellationToken);
        if (size > maxSize)
        {
            throw new GitException($"the files of commit '{hash}' add up to {size} bytes, more than the limit of {maxSize} bytes");
        }

        return new GitCommit(hash, resolved.RevisionOf(hash), subject);
    }

    /// <summary>Checks a fetched commit out into <paramref name="tree"/> (only the <paramref name="sparse"/> directories when set).</summary>
    public async Task CheckoutAsync(GitCommit commit, string gitDir, string tree, IReadOnlyList<string>? sparse, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(tree);
        if (sparse is { Count: > 0 })
        {
            await git.RunAsync(gitDir, ["config", "core.sparseCheckout", "true"], cancellationToken);
            var info = Path.Combine(gitDir, "info");
            Directory.CreateDirectory(info);
            await File.WriteAllLinesAsync(Path.Combine(info, "sparse-checkout"),
                sparse.Select(p => "/" + p.Trim('/').TrimStart('.', '/') + "/"), cancellationToken);
        }

        await git.RunAsync(gitDir, ["-c", "advice.detachedHead=false", "checkout", "-q", "-f", "--detach", commit.Hash], cancellationToken, workTree: tree);
    }

    private async Task<Dictionary<string, string>> ListRemoteAsync(CancellationToken cancellationToken)
    {
        var output = await git.RunAsync(null, ["ls-remote", url], cancellationToken);
        var refs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t', 2);
            if (parts.Length == 2)
            {
                refs[parts[1]] = parts[0];
            }
        }

        return refs;
    }

    // An annotated tag lists the tag object and, with ^{}, the commit it points at: the commit is the revision.
    private static string Find(Dictionary<string, string> remote, string name) =>
        remote.GetValueOrDefault(name + "^{}") ?? remote.GetValueOrDefault(name)
        ?? throw new GitException($"couldn't find remote ref \"{name}\"");

    private async Task<long> TreeSizeAsync(string gitDir, string hash, CancellationToken cancellationToken)
    {
        var listing = await git.RunAsync(gitDir, ["ls-tree", "-r", "-l", "--full-tree", hash], cancellationToken);
        long total = 0;
        foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var meta = line.Split('\t', 2)[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (meta.Length == 4 && long.TryParse(meta[3], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                total += size;
            }
        }

        return total;
    }
}

