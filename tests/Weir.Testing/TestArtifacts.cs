using Weir.Oci.Artifacts;
using Weir.Oci.Auth;
using Weir.Oci.Distribution;

namespace Weir.Testing;

/// <summary>Artifacts pushed as <c>weir push artifact</c> (and <c>flux push artifact</c>) would push them.</summary>
public static class TestArtifacts
{
    /// <summary>Pushes <paramref name="files"/> (path → content) as <c>host/repository:tag</c> over plain HTTP.</summary>
    public static async Task<ArtifactPushResult> PushAsync(string host, string repository, string tag, IReadOnlyDictionary<string, string> files,
        RegistryCredentials? credentials = null)
    {
        var dir = Directory.CreateTempSubdirectory("weir-push-");
        try
        {
            foreach (var (path, content) in files)
            {
                var full = Path.Combine(dir.FullName, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                await File.WriteAllTextAsync(full, content);
            }

            var client = new ArtifactClient(new RegistryClientOptions { Insecure = true, Credentials = credentials });
            return await client.PushAsync(OciReference.Parse($"{host}/{repository}:{tag}"), dir.FullName,
                new ArtifactMetadata("https://example.com/app", $"{tag}@sha1:0123456789abcdef0123456789abcdef01234567"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
