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

    /// <summary>The drone/envsubst oracle <c>scripts/install-test-deps</c> builds (WEIR_ENVSUBST_ORACLE overrides).</summary>
    public static string EnvsubstOracle => Environment.GetEnvironmentVariable("WEIR_ENVSUBST_ORACLE") is { Length: > 0 } o
        ? o
        : Path.Combine(RepoRoot, ".tools", "envsubst-oracle");

    /// <summary>A file the test project copies to its output directory (its own test data).</summary>
    public static string Output(params string[] parts) => Path.Combine([AppContext.BaseDirectory, .. parts]);

    /// <summary>A file under the test project's TestData folder, copied to the output directory.</summary>
    public static string TestData(params string[] parts) => Output(["TestData", .. parts]);

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
