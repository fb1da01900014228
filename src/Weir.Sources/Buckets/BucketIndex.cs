using System.Security.Cryptography;
using System.Text;

namespace Weir.Sources.Buckets;

/// <summary>
/// The objects of a bucket that make up the artifact, each key with its etag. Its digest is the Bucket's revision,
/// computed as source-controller does: SHA-256 over one <c>key etag\n</c> line per object, keys in byte order.
/// Safe to update from parallel downloads.
/// </summary>
public sealed class BucketIndex
{
    private readonly SortedDictionary<string, string> _etags = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _etags.Count;
            }
        }
    }

    public void Add(string key, string etag)
    {
        lock (_lock)
        {
            _etags[key] = etag;
        }
    }

    public void Remove(string key)
    {
        lock (_lock)
        {
            _etags.Remove(key);
        }
    }

    /// <summary>A copy of the entries, in key order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Entries()
    {
        lock (_lock)
        {
            return [.. _etags];
        }
    }

    /// <summary><c>sha256:&lt;hex&gt;</c> of the index.</summary>
    public string Revision()
    {
        var text = new StringBuilder();
        foreach (var (key, etag) in Entries())
        {
            text.Append(key).Append(' ').Append(etag).Append('\n');
        }

        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
