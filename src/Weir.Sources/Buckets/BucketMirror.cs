using Weir.Core.Files;

namespace Weir.Sources.Buckets;

/// <summary>
/// The objects of one Bucket as last downloaded, kept on disk between reconciles with the etag each was fetched at,
/// so that a new revision downloads only the objects whose etag changed and deletes those that left the index.
/// <see cref="Objects"/> then holds exactly the index, ready to archive.
/// </summary>
public sealed class BucketMirror
{
    private readonly Dictionary<string, string> _etags = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly string _incoming;

    public BucketMirror(string directory, string origin)
    {
        Origin = origin;
        Objects = Path.Combine(directory, "objects");
        _incoming = Path.Combine(directory, "incoming");
        Directory.CreateDirectory(Objects);
    }

    /// <summary>Endpoint and bucket the files came from: a mirror of another bucket is not reused.</summary>
    public string Origin { get; }

    /// <summary>The directory holding the objects, each at its key.</summary>
    public string Objects { get; }

    /// <summary>
    /// Brings the mirror in line with <paramref name="index"/>: objects no longer indexed are deleted, objects not yet
    /// held at their indexed etag are fetched with <paramref name="download"/> (which writes the object to the given
    /// path and returns its etag, or null when it disappeared meanwhile). The index takes the etag actually fetched,
    /// and loses an object that disappeared, as source-controller does. Returns how many objects were fetched.
    /// </summary>
    /// <exception cref="PathEscapeException">A key would be written outside the mirror (<c>..</c>, a link).</exception>
    public async Task<int> SyncAsync(BucketIndex index, Func<string, string, CancellationToken, Task<string?>> download, int concurrency,
        CancellationToken cancellationToken)
    {
        var wanted = index.Entries();
        var keys = wanted.Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in Snapshot().Keys.Where(k => !keys.Contains(k)).ToList())
        {
            Forget(stale);
        }

        var root = new RootedFileSystem(Objects);
        var missing = wanted.Where(e => Etag(e.Key) != e.Value).ToList();
        Directory.CreateDirectory(_incoming);
        var fetched = 0;
        try
        {
            await Parallel.ForEachAsync(missing, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
                async (entry, ct) =>
                {
                    var target = root.ResolveForWriting(entry.Key);
                    var partial = Path.Combine(_incoming, Guid.NewGuid().ToString("N"));
                    var etag = await download(entry.Key, partial, ct);
                    if (etag is null)
                    {
                        index.Remove(entry.Key);
                        Forget(entry.Key);
                        return;
                    }

                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Move(partial, target, overwrite: true);
                    lock (_lock)
                    {
                        _etags[entry.Key] = etag;
                    }

                    if (etag != entry.Value)
                    {
                        index.Add(entry.Key, etag);
                    }

                    Interlocked.Increment(ref fetched);
                });
        }
        finally
        {
            Directory.Delete(_incoming, recursive: true);
        }

        return fetched;
    }

    private Dictionary<string, string> Snapshot()
    {
        lock (_lock)
        {
            return new Dictionary<string, string>(_etags, StringComparer.Ordinal);
        }
    }

    private string? Etag(string key)
    {
        lock (_lock)
        {
            return _etags.GetValueOrDefault(key);
        }
    }

    // Removes an object's file and the directories it leaves empty.
    private void Forget(string key)
    {
        lock (_lock)
        {
            _etags.Remove(key);
        }

        var path = Path.Combine(Objects, key);
        if (File.Exists(path))
        {
            File.Delete(path);
        }

        for (var dir = Path.GetDirectoryName(path); dir is not null && dir.Length > Objects.Length && Directory.Exists(dir)
            && !Directory.EnumerateFileSystemEntries(dir).Any(); dir = Path.GetDirectoryName(dir))
        {
            Directory.Delete(dir);
        }
    }
}
