namespace Weir.Cluster.Tests;

/// <summary>Where tests find the repository, the shared material and the installed kubectl binaries.</summary>
public static class TestEnvironment
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Shared { get; } =
        Environment.GetEnvironmentVariable("WEIR_SHARED") is { Length: > 0 } s ? s : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string Fixtures { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures");

    /// <summary>The kubectl versions the acceptance suite runs (minor numbers).</summary>
    public static readonly int[] KubectlMinors = [27, 28, 29, 30, 31, 32, 33];

    /// <summary>Directory of the versioned kubectl binaries (beside the real kubectl).</summary>
    public static string KubectlDir { get; } = FindKubectlDir();

    public static string Kubectl(int minor) => Path.Combine(KubectlDir, $"kubectl.1.{minor}");

    /// <summary>The built weir CLI (weir.dll), run with dotnet.</summary>
    public static string WeirDll { get; } = Path.Combine(AppContext.BaseDirectory, "weir.dll");

    public static string TempDir(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Weir.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("Weir.slnx not found above " + AppContext.BaseDirectory);
    }

    private static string FindKubectlDir()
    {
        foreach (var candidate in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/lib/google-cloud-sdk/bin"))
        {
            var path = Path.Combine(candidate, "kubectl");
            if (!File.Exists(path))
            {
                continue;
            }
            var real = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
            var dir = Path.GetDirectoryName(real)!;
            if (File.Exists(Path.Combine(dir, "kubectl.1.27")))
            {
                return dir;
            }
        }
        return "/usr/lib/google-cloud-sdk/bin";
    }
}
