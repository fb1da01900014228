using System.Text.RegularExpressions;

namespace Weir.Sources.GitRepositories;

/// <summary>
/// <c>spec.recurseSubmodules</c>: clones the submodules of a checked-out commit into its tree, with the parent's
/// connection settings. Before git is asked to, every URL in the commit's <c>.gitmodules</c> (read from the commit,
/// never from the tree) must be http, https or ssh, or relative to the parent's URL: a <c>file://</c> URL or a local
/// path is refused with a message naming the submodule, so a hostile repository cannot copy files of the host into its
/// artifact. <see cref="GitCommand"/> also allows only those transports, for nested submodules. The <c>.git</c> files
/// git leaves in submodule directories are removed, and the tree, submodules included, is held to the size limit.
/// </summary>
public sealed partial class GitSubmodules(GitCommand git, string url)
{
    public async Task UpdateAsync(string gitDir, string tree, string hash, long maxSize, CancellationToken cancellationToken)
    {
        var listing = await git.RunAsync(gitDir, ["ls-tree", "--name-only", hash, ".gitmodules"], cancellationToken);
        if (listing.Trim().Length == 0)
        {
            return;
        }

        string urls;
        try
        {
            urls = await git.RunAsync(gitDir, ["config", "--blob", $"{hash}:.gitmodules", "--get-regexp", @"^submodule\..*\.url$"], cancellationToken);
        }
        catch (GitException)
        {
            return; // .gitmodules without any URL: nothing to clone
        }

        foreach (var line in urls.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', 2);
            var name = parts[0]["submodule.".Length..^".url".Length];
            var submoduleUrl = parts.Length == 2 ? parts[1].Trim() : "";
            if (!IsRemote(submoduleUrl))
            {
                throw new GitException(
                    $"submodule '{name}' has the URL '{submoduleUrl}': only http, https and ssh submodules, or paths relative to the repository URL, are allowed");
            }
        }

        // Relative submodule URLs resolve against the superproject's origin; the git directory was fetched into by URL.
        await git.RunAsync(gitDir, ["config", "remote.origin.url", url], cancellationToken);
        await git.RunAsync(gitDir, ["config", "core.bare", "false"], cancellationToken);
        await git.RunAsync(gitDir, ["-C", tree, "-c", "protocol.file.allow=never", "submodule", "update", "--init", "--recursive", "--quiet"],
            cancellationToken, workTree: tree);

        long size = 0;
        foreach (var file in new DirectoryInfo(tree).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            if (file.Name == ".git" && file.LinkTarget is null)
            {
                file.Delete();
                continue;
            }

            size += file.LinkTarget is null ? file.Length : 0;
        }

        if (size > maxSize)
        {
            throw new GitException($"the files of commit '{hash}' with its submodules add up to {size} bytes, more than the limit of {maxSize} bytes");
        }
    }

    /// <summary>http(s) and ssh URLs, scp-like <c>user@host:path</c>, and <c>./</c> or <c>../</c> relative to the parent's URL.</summary>
    private static bool IsRemote(string submoduleUrl) =>
        submoduleUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || submoduleUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || submoduleUrl.StartsWith("ssh://", StringComparison.OrdinalIgnoreCase)
        || submoduleUrl.StartsWith("./", StringComparison.Ordinal)
        || submoduleUrl.StartsWith("../", StringComparison.Ordinal)
        || ScpLike().IsMatch(submoduleUrl);

    [GeneratedRegex(@"^[A-Za-z0-9._~-]+@[A-Za-z0-9.-]+:[^:]")]
    private static partial Regex ScpLike();
}
