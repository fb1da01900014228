using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Weir.Oci.Distribution;

namespace Weir.Oci.Registry;

/// <summary>
/// The embedded registry's content-addressed filesystem store. Blobs live once under
/// <c>blobs/sha256/</c>; each repository holds links to the blobs and manifests it may
/// serve, its tags (files holding a digest) and its referrers.
/// </summary>
internal sealed class RegistryStore
{
    private readonly string _root;
    private readonly ConcurrentDictionary<string, UploadSession> _uploads = new();

    public RegistryStore(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(BlobsDir);
        Directory.CreateDirectory(UploadsDir);
    }

    private string BlobsDir => Path.Combine(_root, "blobs", "sha256");
    private string UploadsDir => Path.Combine(_root, "uploads");
    private string RepoDir(string repo) => Path.Combine(_root, "repositories", repo);
    private string LayerLink(string repo, string digest) => Path.Combine(RepoDir(repo), "_layers", OciDigest.Hex(digest));
    private string ManifestLink(string repo, string digest) => Path.Combine(RepoDir(repo), "_manifests", OciDigest.Hex(digest));
    private string TagFile(string repo, string tag) => Path.Combine(RepoDir(repo), "_tags", tag);
    private string ReferrersDir(string repo, string subject) => Path.Combine(RepoDir(repo), "_referrers", OciDigest.Hex(subject));

    public string BlobPath(string digest) => Path.Combine(BlobsDir, OciDigest.Hex(digest));

    public bool RepositoryExists(string repo) => Directory.Exists(RepoDir(repo));

    public bool HasBlob(string repo, string digest) => File.Exists(LayerLink(repo, digest)) && File.Exists(BlobPath(digest));

    public bool LinkBlob(string repo, string digest)
    {
        if (!File.Exists(BlobPath(digest)))
        {
            return false;
        }
        WriteAtomic(LayerLink(repo, digest), "");
        return true;
    }

    public bool UnlinkBlob(string repo, string digest) => Delete(LayerLink(repo, digest));

    public IReadOnlyList<string> Tags(string repo)
    {
        var dir = Path.Combine(RepoDir(repo), "_tags");
        return Directory.Exists(dir)
            ? [.. Directory.EnumerateFiles(dir).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>The manifest digest a tag or digest reference points at, if this repository has it.</summary>
    public string? Resolve(string repo, string reference)
    {
        var digest = OciDigest.IsValid(reference) ? reference
            : File.Exists(TagFile(repo, reference)) ? File.ReadAllText(TagFile(repo, reference)).Trim() : null;
        return digest is not null && File.Exists(ManifestLink(repo, digest)) && File.Exists(BlobPath(digest)) ? digest : null;
    }

    public string ManifestMediaType(string repo, string digest) => File.ReadAllText(ManifestLink(repo, digest));

    public void PutManifest(string repo, string digest, byte[] content, string mediaType, string? tag, Descriptor? subject, string? artifactType, IReadOnlyDictionary<string, string>? annotations)
    {
        var blob = BlobPath(digest);
        if (!File.Exists(blob))
        {
            WriteAtomic(blob, content);
        }
        WriteAtomic(ManifestLink(repo, digest), mediaType);
        if (tag is not null)
        {
            WriteAtomic(TagFile(repo, tag), digest);
        }
        if (subject is not null)
        {
            var referrer = new Descriptor { MediaType = mediaType, Digest = digest, Size = content.Length, ArtifactType = artifactType, Annotations = annotations };
            WriteAtomic(Path.Combine(ReferrersDir(repo, subject.Digest), OciDigest.Hex(digest)), JsonSerializer.Serialize(referrer));
        }
    }

    /// <summary>Removes a manifest from the repository with every tag pointing at it.</summary>
    public bool DeleteManifest(string repo, string digest)
    {
        if (!Delete(ManifestLink(repo, digest)))
        {
            return false;
        }
        foreach (var tag in Tags(repo))
        {
            if (File.ReadAllText(TagFile(repo, tag)).Trim() == digest)
            {
                Delete(TagFile(repo, tag));
            }
        }
        var referrers = Path.Combine(RepoDir(repo), "_referrers");
        if (Directory.Exists(referrers))
        {
            foreach (var f in Directory.EnumerateFiles(referrers, OciDigest.Hex(digest), SearchOption.AllDirectories))
            {
                Delete(f);
            }
        }
        return true;
    }

    public bool DeleteTag(string repo, string tag) => Delete(TagFile(repo, tag));

    public IReadOnlyList<Descriptor> Referrers(string repo, string subject)
    {
        var dir = ReferrersDir(repo, subject);
        if (!Directory.Exists(dir))
        {
            return [];
        }
        return [.. Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal)
            .Select(f => JsonSerializer.Deserialize<Descriptor>(File.ReadAllText(f))!)
            .Where(d => File.Exists(ManifestLink(repo, d.Digest)))];
    }

    // --- uploads ---

    public string StartUpload()
    {
        var id = Guid.NewGuid().ToString("N");
        File.WriteAllBytes(Path.Combine(UploadsDir, id), []);
        _uploads[id] = new UploadSession();
        return id;
    }

    public long? UploadSize(string id)
    {
        var path = Path.Combine(UploadsDir, id);
        return File.Exists(path) && _uploads.ContainsKey(id) ? new FileInfo(path).Length : null;
    }

    /// <summary>Appends a request body to an upload, hashing as it goes; returns the new size.</summary>
    public async Task<long> AppendAsync(string id, Stream body, CancellationToken ct)
    {
        var session = _uploads[id];
        await session.Lock.WaitAsync(ct);
        try
        {
            await using var file = new FileStream(Path.Combine(UploadsDir, id), FileMode.Append, FileAccess.Write, FileShare.None, 0, FileOptions.Asynchronous);
            var buffer = new byte[1 << 18];
            int n;
            while ((n = await body.ReadAsync(buffer, ct)) > 0)
            {
                session.Hash.AppendData(buffer, 0, n);
                await file.WriteAsync(buffer.AsMemory(0, n), ct);
            }
            return file.Length;
        }
        finally
        {
            session.Lock.Release();
        }
    }

    /// <summary>Finishes an upload: verifies the digest and moves the data into the blob store.</summary>
    public bool CompleteUpload(string repo, string id, string digest)
    {
        if (!_uploads.TryRemove(id, out var session))
        {
            return false;
        }
        var path = Path.Combine(UploadsDir, id);
        var actual = OciDigest.From(session.Hash);
        session.Hash.Dispose();
        if (actual != digest)
        {
            File.Delete(path);
            return false;
        }
        var blob = BlobPath(digest);
        if (File.Exists(blob))
        {
            File.Delete(path);
        }
        else
        {
            File.Move(path, blob, overwrite: true);
        }
        LinkBlob(repo, digest);
        return true;
    }

    public void CancelUpload(string id)
    {
        if (_uploads.TryRemove(id, out var session))
        {
            session.Hash.Dispose();
        }
        Delete(Path.Combine(UploadsDir, id));
    }

    private static bool Delete(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        File.Delete(path);
        return true;
    }

    private static void WriteAtomic(string path, string text) => WriteAtomic(path, System.Text.Encoding.UTF8.GetBytes(text));

    private static void WriteAtomic(string path, byte[] content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllBytes(temp, content);
        File.Move(temp, path, overwrite: true);
    }

    private sealed class UploadSession
    {
        public IncrementalHash Hash { get; } = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        public SemaphoreSlim Lock { get; } = new(1, 1);
    }
}
