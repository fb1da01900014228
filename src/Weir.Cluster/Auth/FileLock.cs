namespace Weir.Cluster.Auth;

/// <summary>An exclusive lock file, so a CLI command and the server never rewrite the same file at once.</summary>
internal static class FileLock
{
    public static FileStream Acquire(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 100)
            {
                Thread.Sleep(50);
            }
        }
    }
}
