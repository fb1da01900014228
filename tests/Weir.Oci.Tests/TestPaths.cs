namespace Weir.Oci.Tests;

/// <summary>Locates the repository root and the shared tools the tests use.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Oracle =>
        Environment.GetEnvironmentVariable("WEIR_ORACLE") is { Length: > 0 } o ? o : Path.Combine(RepoRoot, ".tools", "oracle");

    public static string TestData(params string[] parts) =>
        Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);

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
