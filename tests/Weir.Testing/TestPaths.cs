namespace Weir.Testing;

/// <summary>
/// Where the repository, the shared material and the reference tools are, for tests. The shared material and the
/// oracles live outside the repository; a test that needs one that is missing fails at once with one line saying
/// what is missing and where it was looked for (<see cref="Require"/>).
/// </summary>
public static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The shared material: <c>WEIR_SHARED</c>, else <c>shared/</c> beside the repository.</summary>
    public static string Shared => Require(SharedRoot, "shared material", "set WEIR_SHARED or put shared/ beside the repository");

    /// <summary>The test corpus: <c>WEIR_CORPUS</c>, else <c>corpus/</c> in the shared material.</summary>
    public static string Corpus => Require(
        Environment.GetEnvironmentVariable("WEIR_CORPUS") is { Length: > 0 } c ? c : Path.Combine(SharedRoot, "corpus"),
        "shared corpus", "set WEIR_CORPUS or put shared/ beside the repository");

    /// <summary>A file or folder of the shared reference material, e.g. <c>SharedReference("flux-crds")</c>.</summary>
    public static string SharedReference(string name) =>
        Require(Path.Combine(Shared, "reference", name), "shared reference " + name, "set WEIR_SHARED");

    /// <summary>The Go oracle built from shared/oracles/go.</summary>
    public static string Oracle => Require(
        Environment.GetEnvironmentVariable("WEIR_ORACLE") is { Length: > 0 } o ? o : Path.Combine(RepoRoot, ".tools", "oracle"),
        "Go oracle", "scripts/install-test-deps builds it; or set WEIR_ORACLE");

    /// <summary>The drone/envsubst oracle.</summary>
    public static string EnvsubstOracle => Require(
        Environment.GetEnvironmentVariable("WEIR_ENVSUBST_ORACLE") is { Length: > 0 } o ? o : Path.Combine(RepoRoot, ".tools", "envsubst-oracle"),
        "envsubst oracle", "scripts/install-test-deps builds it; or set WEIR_ENVSUBST_ORACLE");

    private static string SharedRoot => Environment.GetEnvironmentVariable("WEIR_SHARED") is { Length: > 0 } s
        ? s
        : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    /// <summary>A file the test project copies to its output directory (its own test data).</summary>
    public static string Output(params string[] parts) => Path.Combine([AppContext.BaseDirectory, .. parts]);

    /// <summary>A file under the test project's TestData folder, copied to the output directory.</summary>
    public static string TestData(params string[] parts) => Output(["TestData", .. parts]);

    /// <summary>
    /// <paramref name="path"/> when a file or folder is there; otherwise the test fails now with one line:
    /// what is missing, where it was looked for, and how to provide it.
    /// </summary>
    public static string Require(string path, string what, string howToProvide) =>
        File.Exists(path) || Directory.Exists(path)
            ? path
            : throw new MissingTestMaterialException($"{what} not found at {path} ({howToProvide})");

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

/// <summary>Material a test needs from outside the repository (the shared corpus, an oracle) is not there.</summary>
public sealed class MissingTestMaterialException(string message) : Exception(message);
