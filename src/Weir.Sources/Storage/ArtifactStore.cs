using System.Security.Cryptography;
using Weir.Core.Revisions;

namespace Weir.Sources.Storage;

/// <summary>
/// Where one stored artifact lives and what it is. <c>Path</c> is relative to the store root, with Flux's layout:
/// <c>ocirepository/NS/NAME/HEX.tar.gz</c>.
/// </summary>
public sealed record StoredArtifact(string Path, Digest Digest, long Size, DateTimeOffset LastUpdateTime);

/// <summary>
/// The artifact storage of the source controllers: a directory per kind/namespace/name holding artifact files (tarballs, chart packages, repository indexes) named
/// by their sha256. Writes go to a temporary file that is renamed into place, so readers never see a partial
/// artifact; a lock file serialises writers of one object across processes; garbage collection keeps the newest N.
/// </summary>
public sealed class ArtifactStore
{
    public ArtifactStore(string root, TimeProvider? clock = null)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
        Clock = clock ?? TimeProvider.System;
    }

    /// <summary>The file name that always resolves to an object's newest artifact (Flux's <c>status.url</c>).</summary>
    public const string LatestAlias = "latest.tar.gz";

    public string Root { get; }

    public TimeProvider Clock { get; }

    /// <summary>The directory of one object's artifacts, relative to the root (<c>ocirepository/ns/name</c>).</summary>
    public static string ObjectDirectory(string kind, string ns, string name)
    {
        foreach (var part in new[] { kind, ns, name })
        {
            if (part.Length == 0 || part.Contains('/') || part.Contains('\\') || part is "." or "..")
            {
                throw new ArgumentException($"invalid artifact path component '{part}'");
            }
        }

        return $"{kind.ToLowerInvariant()}/{ns}/{name}";
    }

    /// <summary>Stores a tarball (see the overload taking the file extension).</summary>
    public Task<StoredArtifact> StoreAsync(string kind, string ns, string name, Stream source, CancellationToken cancellationToken = default) =>
        StoreAsync(kind, ns, name, source, ".tar.gz", cancellationToken);

    /// <summary>The file name endings of stored artifacts: tarballs, Helm chart packages and Helm repository indexes.</summary>
    public static readonly IReadOnlyList<string> Extensions = [".tar.gz", ".tgz", ".yaml"];

    /// <summary>
    /// Stores the content of <paramref name="source"/> and returns what was stored (idempotent by digest), in a file
    /// named by its sha256 with <paramref name="extension"/> (one of <see cref="Extensions"/>).
    /// </summary>
    public async Task<StoredArtifact> StoreAsync(string kind, string ns, string name, Stream source, string extension,
        CancellationToken cancellationToken = default)
    {
        if (!Extensions.Contains(extension))
        {
            throw new ArgumentException($"unknown artifact extension '{extension}'", nameof(extension));
        }

        var relativeDir = ObjectDirectory(kind, ns, name);
        var dir = Path.Combine(Root, relativeDir);
        Directory.CreateDirectory(dir);
        using var _ = await AcquireLockAsync(dir, cancellationToken);

        var temp = Path.Combine(dir, $".tmp-{Guid.NewGuid():N}");
        string hex;
        long size;
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    sha.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
                hex = Convert.ToHexStringLower(sha.GetHashAndReset());
                size = file.Length;
            }

            var finalPath = Path.Combine(dir, hex + extension);
            File.Move(temp, finalPath, overwrite: true);
            var now = Clock.GetUtcNow();
            File.SetLastWriteTimeUtc(finalPath, now.UtcDateTime);
            return new StoredArtifact($"{relativeDir}/{hex}{extension}", Digest.Sha256(hex), size, now);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>True when the artifact file exists and its content still has the recorded digest.</summary>
    public async Task<bool> VerifyAsync(StoredArtifact artifact, CancellationToken cancellationToken = default)
    {
        var full = FullPath(artifact.Path);
        if (!File.Exists(full))
        {
            return false;
        }

        await using var file = File.OpenRead(full);
        var hex = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
        return hex == artifact.Digest.Encoded;
    }

    public bool Exists(string relativePath) => File.Exists(FullPath(relativePath));

    public Stream OpenRead(string relativePath) => File.OpenRead(FullPath(relativePath));

    /// <summary>Deletes all but the newest <paramref name="keep"/> artifacts of an object, never the current one.</summary>
    public async Task<IReadOnlyList<string>> CollectGarbageAsync(
        string kind, string ns, string name, string currentPath, int keep = 2, CancellationToken cancellationToken = default)
    {
        var relativeDir = ObjectDirectory(kind, ns, name);
        var dir = Path.Combine(Root, relativeDir);
        if (!Directory.Exists(dir))
        {
            return [];
        }

        using var _ = await AcquireLockAsync(dir, cancellationToken);
        var deleted = new List<string>();
        var artifacts = ArtifactFiles(dir).OrderByDescending(f => f.LastWriteTimeUtc).ToList();
        foreach (var file in artifacts.Skip(Math.Max(keep, 1)))
        {
            var relative = $"{relativeDir}/{file.Name}";
            if (relative != currentPath)
            {
                file.Delete();
                deleted.Add(relative);
            }
        }

        return deleted;
    }

    /// <summary>Removes everything stored for an object (when the object is deleted).</summary>
    public void DeleteObject(string kind, string ns, string name)
    {
        var dir = Path.Combine(Root, ObjectDirectory(kind, ns, name));
        if (Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>The newest artifact file for a <c>…/latest.tar.gz</c> path, or null when there is none.</summary>
    public string? ResolveLatest(string relativePath)
    {
        var dir = Path.GetDirectoryName(FullPath(relativePath))!;
        return Directory.Exists(dir)
            ? ArtifactFiles(dir).OrderByDescending(f => f.LastWriteTimeUtc).FirstOrDefault()?.FullName
            : null;
    }

    /// <summary>True when <paramref name="path"/> ends as a stored artifact does.</summary>
    public static bool IsArtifactFile(string path) => Extensions.Any(e => path.EndsWith(e, StringComparison.Ordinal));

    private static IEnumerable<FileInfo> ArtifactFiles(string dir) =>
        new DirectoryInfo(dir).GetFiles().Where(f => f.Name != LatestAlias && !f.Name.StartsWith('.') && IsArtifactFile(f.Name));

    /// <summary>Resolves a relative artifact path under the root, refusing anything that escapes it.</summary>
    public string FullPath(string relativePath)
    {
        var full = Path.GetFullPath(Path.Combine(Root, relativePath));
        if (!full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"artifact path '{relativePath}' is outside the storage root");
        }

        return full;
    }

    private static async Task<FileStream> AcquireLockAsync(string dir, CancellationToken cancellationToken)
    {
        var lockPath = Path.Combine(dir, ".lock");
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(20, cancellationToken);
            }
        }
    }
}
