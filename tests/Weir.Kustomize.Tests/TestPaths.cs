namespace Weir.Kustomize.Tests;

/// <summary>Where the repository and the shared corpus are (WEIR_SHARED / WEIR_CORPUS override).</summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Shared => Environment.GetEnvironmentVariable("WEIR_SHARED") is { Length: > 0 } s
        ? s
        : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string Corpus => Environment.GetEnvironmentVariable("WEIR_CORPUS") is { Length: > 0 } c
        ? c
        : Path.Combine(Shared, "corpus");

    /// <summary>The drone/envsubst oracle <c>scripts/install-test-deps</c> builds (WEIR_ENVSUBST_ORACLE overrides).</summary>
    public static string EnvsubstOracle => Environment.GetEnvironmentVariable("WEIR_ENVSUBST_ORACLE") is { Length: > 0 } o
        ? o
        : Path.Combine(RepoRoot, ".tools", "envsubst-oracle");

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
