namespace Weir.Testing;

/// <summary>Where the repository, the shared material and the reference tools are, for tests.</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Shared => Environment.GetEnvironmentVariable("WEIR_SHARED") is { Length: > 0 } s
        ? s
        : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string Corpus => Environment.GetEnvironmentVariable("WEIR_CORPUS") is { Length: > 0 } c
        ? c
        : Path.Combine(Shared, "corpus");

    public static string Oracle => Environment.GetEnvironmentVariable("WEIR_ORACLE") is { Length: > 0 } o
        ? o
        : Path.Combine(RepoRoot, ".tools", "oracle");

    /// <summary>The weir CLI, copied next to the test assembly by the test project's reference to Weir.Cli.</summary>
    public static string WeirDll => Path.Combine(AppContext.BaseDirectory, "weir.dll");

    /// <summary>A file under the test project's TestData folder, copied to the output directory.</summary>
    public static string TestData(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Weir.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Weir.slnx not found above " + AppContext.BaseDirectory);
    }
}
