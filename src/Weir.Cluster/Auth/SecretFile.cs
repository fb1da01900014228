namespace Weir.Cluster.Auth;

/// <summary>Writes files only their owner may read (keys, tokens, kubeconfigs with credentials).</summary>
internal static class SecretFile
{
    public static void Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        File.WriteAllText(temp, content);
        File.Move(temp, path, overwrite: true);
    }
}
