using System.Text.Json.Nodes;
using Weir.Core.Api.SourceExtensions;
using Weir.Core.Files;
using Weir.Core.Patching;
using Weir.Core.Yaml;
using Weir.Runtime.Artifacts;

namespace Weir.Sources.ArtifactGenerators;

/// <summary>A copy operation that cannot be carried out; the message says which and why.</summary>
public sealed class CopyException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Applies an output artifact's copy operations, in order, from the extracted sources (one directory per alias) into
/// a staging directory, with source-watcher's <c>cp</c>-like rules: a plain path copies that file (into a directory
/// when <c>to</c> ends in '/' or names one) or that directory as a subdirectory; a glob copies each match, a trailing
/// <c>/**</c> dropping the directory prefix; <c>exclude</c> globs are tried against the source path and against the
/// path below the literal prefix of <c>from</c> (a pattern without '/' also against the file name). Strategies:
/// Overwrite (replace), Merge (YAML deep merge into an existing file, lists replaced) and Extract (tarballs unpacked
/// with <see cref="SafeExtractor"/>). Nothing is written outside the staging directory.
/// </summary>
public sealed class CopyOperations(IReadOnlyDictionary<string, string> sources, string staging, ExtractionLimits? limits = null)
{
    private const string Overwrite = "Overwrite";
    private const string Merge = "Merge";
    private const string Extract = "Extract";
    private const string ArtifactPrefix = "@artifact/";

    private static readonly YamlOptions MergedYaml = new() { SortKeys = true };

    public async Task ApplyAsync(IEnumerable<CopyOperation> operations, CancellationToken cancellationToken)
    {
        foreach (var op in operations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                await ApplyAsync(op, cancellationToken);
            }
            catch (CopyException e)
            {
                throw new CopyException($"failed to apply copy operation from '{op.From}' to '{op.To}': {e.Message}", e);
            }
        }
    }

    private async Task ApplyAsync(CopyOperation op, CancellationToken cancellationToken)
    {
        var (alias, pattern) = ParseSource(op.From ?? "");
        var to = op.To ?? "";
        if (!to.StartsWith(ArtifactPrefix, StringComparison.Ordinal))
        {
            throw new CopyException($"invalid copy destination '{to}': destination must start with '{ArtifactPrefix}'");
        }

        var destination = to[ArtifactPrefix.Length..];
        if (!sources.TryGetValue(alias, out var root))
        {
            throw new CopyException($"source alias '{alias}' not found");
        }

        var exclude = op.Exclude ?? [];
        foreach (var rule in exclude)
        {
            try
            {
                SourceGlob.Validate(rule);
            }
            catch (FormatException)
            {
                throw new CopyException($"invalid exclude pattern '{rule}'");
            }
        }

        var strategy = op.Strategy is { Length: > 0 } s ? s : Overwrite;
        var copy = new Operation(root, staging, strategy, exclude, limits);
        if (!SourceGlob.HasMeta(pattern))
        {
            await copy.SingleAsync(Clean(pattern), destination, to.EndsWith('/'), cancellationToken);
            return;
        }

        IReadOnlyList<string> matches;
        try
        {
            matches = strategy == Extract ? SourceGlob.GlobRecursive(root, pattern) : SourceGlob.Glob(root, pattern);
        }
        catch (FormatException e)
        {
            throw new CopyException($"invalid glob pattern '{pattern}': {e.Message}");
        }

        if (matches.Count == 0)
        {
            throw new CopyException($"no files match pattern '{pattern}' in source '{alias}'");
        }

        var selectionRoot = SelectionRoot(pattern);
        var kept = matches.Where(m => m is not ("." or "..") && !Excluded(m, selectionRoot, exclude)).ToList();
        if (kept.Count == 0)
        {
            throw new CopyException($"all files matching pattern '{pattern}' in source '{alias}' were excluded");
        }

        foreach (var match in kept)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (strategy == Extract)
            {
                if (IsTarball(match) && File.Exists(Path.Combine(root, match)))
                {
                    await copy.ExtractAsync(match, destination, cancellationToken);
                }

                continue;
            }

            var target = GlobDestination(pattern, match, destination);
            try
            {
                await copy.CopyAsync(match, target, selectionRoot, cancellationToken);
            }
            catch (CopyException e)
            {
                throw new CopyException($"failed to copy file '{match}' to '{target}': {e.Message}", e);
            }
        }
    }

    private static (string Alias, string Pattern) ParseSource(string from)
    {
        if (!from.StartsWith('@'))
        {
            throw new CopyException($"invalid copy source '{from}': source must start with '@'");
        }

        var slash = from.IndexOf('/');
        if (slash < 0)
        {
            throw new CopyException($"invalid copy source '{from}': source format must be '@alias/pattern'");
        }

        return (from[1..slash], from[(slash + 1)..]);
    }

    // A trailing /** copies what is below the directory; any other glob keeps each match's whole path.
    private static string GlobDestination(string pattern, string match, string destination)
    {
        if (pattern.EndsWith("/**", StringComparison.Ordinal))
        {
            var prefix = pattern[..^3] + "/";
            if (match.StartsWith(prefix, StringComparison.Ordinal))
            {
                return Join(destination, match[prefix.Length..]);
            }
        }

        return Join(destination, match);
    }

    // The literal directories of a pattern before its first glob segment ("." when it starts with one).
    private static string SelectionRoot(string pattern)
    {
        var literal = Clean(pattern).Split('/').TakeWhile(p => !SourceGlob.HasMeta(p)).ToList();
        return literal.Count == 0 ? "." : string.Join('/', literal);
    }

    private static bool Excluded(string path, string selectionRoot, IReadOnlyList<string> exclude)
    {
        if (exclude.Count == 0)
        {
            return false;
        }

        if (MatchesAny(path, exclude))
        {
            return true;
        }

        if (selectionRoot == "." || !path.StartsWith(selectionRoot + "/", StringComparison.Ordinal))
        {
            return false;
        }

        return MatchesAny(path[(selectionRoot.Length + 1)..], exclude);
    }

    private static bool MatchesAny(string path, IReadOnlyList<string> exclude)
    {
        var name = path[(path.LastIndexOf('/') + 1)..];
        return exclude.Any(rule => SourceGlob.Match(rule, path) || (!rule.Contains('/') && SourceGlob.Match(rule, name)));
    }

    private static bool IsTarball(string path) =>
        path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase);

    /// <summary>Go's <c>path.Clean</c> of a relative path: "." for empty, no '.', '..' folded where it can be.</summary>
    private static string Clean(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".")
            {
                continue;
            }

            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else
            {
                parts.Add(part);
            }
        }

        return parts.Count == 0 ? "." : string.Join('/', parts);
    }

    private static string Join(string a, string b) => Clean(a + "/" + b);

    private static string BaseName(string path) => path[(path.LastIndexOf('/') + 1)..];

    /// <summary>One copy operation's source root, staging root, strategy and exclusions.</summary>
    private sealed class Operation(string root, string staging, string strategy, IReadOnlyList<string> exclude, ExtractionLimits? limits)
    {
        private readonly RootedFileSystem _staging = new(staging);

        public async Task SingleAsync(string source, string destination, bool intoDirectory, CancellationToken cancellationToken)
        {
            var full = SourcePath(source);
            if (Directory.Exists(full))
            {
                if (strategy == Extract)
                {
                    throw new CopyException($"extract strategy is not supported for directories, got '{source}'");
                }

                await CopyAsync(source, Join(destination, BaseName(source)), source, cancellationToken);
                return;
            }

            if (!File.Exists(full))
            {
                throw new CopyException($"source '{source}' does not exist");
            }

            if (Excluded(source, ".", exclude))
            {
                return;
            }

            if (strategy == Extract)
            {
                if (!IsTarball(source))
                {
                    throw new CopyException($"extract strategy requires tarball file (.tar.gz or .tgz), got '{source}'");
                }

                await ExtractAsync(source, destination, cancellationToken);
                return;
            }

            var target = intoDirectory || Directory.Exists(StagingPath(Clean(destination)))
                ? Join(destination, BaseName(source))
                : Clean(destination);
            await CopyAsync(source, target, ".", cancellationToken);
        }

        public async Task CopyAsync(string source, string target, string selectionRoot, CancellationToken cancellationToken)
        {
            var full = SourcePath(source);
            if (Directory.Exists(full))
            {
                await CopyDirectoryAsync(source, target, selectionRoot, cancellationToken);
            }
            else if (strategy == Merge && File.Exists(StagingPath(target)))
            {
                await MergeAsync(full, StagingPath(target), cancellationToken);
            }
            else
            {
                await CopyFileAsync(full, target, cancellationToken);
            }
        }

        public async Task ExtractAsync(string source, string destination, CancellationToken cancellationToken)
        {
            var target = StagingPath(Clean(destination));
            try
            {
                Directory.CreateDirectory(target);
                await using var tarball = File.OpenRead(SourcePath(source));
                await SafeExtractor.ExtractAsync(tarball, target, limits, cancellationToken);
            }
            catch (Exception e) when (e is ArchiveException or IOException or PathEscapeException)
            {
                throw new CopyException($"failed to extract tarball '{source}' to '{Clean(destination)}': {e.Message}", e);
            }
        }

        private async Task CopyDirectoryAsync(string source, string target, string selectionRoot, CancellationToken cancellationToken)
        {
            Directory.CreateDirectory(StagingPath(target));
            var full = SourcePath(source);
            foreach (var info in new DirectoryInfo(full).EnumerateFileSystemInfos().OrderBy(i => i.Name, StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var path = source == "." ? info.Name : source + "/" + info.Name;
                if (info.LinkTarget is not null || Excluded(path, selectionRoot, exclude))
                {
                    continue;
                }

                var to = Join(target, info.Name);
                if (info is DirectoryInfo)
                {
                    await CopyDirectoryAsync(path, to, selectionRoot, cancellationToken);
                }
                else
                {
                    await CopyFileAsync(info.FullName, to, cancellationToken);
                }
            }
        }

        private async Task CopyFileAsync(string sourceFull, string target, CancellationToken cancellationToken)
        {
            var to = StagingPath(target);
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            if (Directory.Exists(to))
            {
                throw new CopyException($"'{target}' is a directory");
            }

            await using (var input = File.OpenRead(sourceFull))
            await using (var output = new FileStream(to, FileMode.Create, FileAccess.Write))
            {
                await input.CopyToAsync(output, cancellationToken);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(to, File.GetUnixFileMode(sourceFull));
            }
        }

        // source-watcher's Merge: every document of each file merged into one map, the source's over the target's.
        private static async Task MergeAsync(string sourceFull, string targetFull, CancellationToken cancellationToken)
        {
            var overlay = await LoadAsync(sourceFull, cancellationToken);
            var merged = JsonMergePatch.Apply(await LoadAsync(targetFull, cancellationToken), overlay);
            await File.WriteAllTextAsync(targetFull, KubeYaml.Serialize(merged, MergedYaml), cancellationToken);
        }

        private static async Task<JsonObject> LoadAsync(string path, CancellationToken cancellationToken)
        {
            IReadOnlyList<JsonNode?> documents;
            try
            {
                documents = KubeYaml.ParseAll(await File.ReadAllTextAsync(path, cancellationToken));
            }
            catch (YamlException e)
            {
                throw new CopyException($"cannot unmarshal YAML document: {e.Message}", e);
            }

            JsonObject result = [];
            foreach (var document in documents)
            {
                if (document is not JsonObject map)
                {
                    throw new CopyException($"cannot unmarshal YAML document: {Path.GetFileName(path)} is not a mapping");
                }

                result = (JsonObject)JsonMergePatch.Apply(result, map)!;
            }

            return result;
        }

        private string SourcePath(string relative)
        {
            var clean = Clean(relative);
            if (clean == ".." || clean.StartsWith("../", StringComparison.Ordinal))
            {
                throw new CopyException($"source '{relative}': path escapes from parent");
            }

            return clean == "." ? root : Path.Combine(root, clean);
        }

        private string StagingPath(string relative)
        {
            if (relative == ".")
            {
                return _staging.Root;
            }

            try
            {
                return _staging.ResolveForWriting(relative);
            }
            catch (PathEscapeException)
            {
                throw new CopyException($"destination '{relative}': path escapes from parent");
            }
        }
    }
}
