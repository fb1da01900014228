namespace Weir.Core.Tests.Api;

/// <summary>Locates the repository root and the shared reference material (WEIR_SHARED, default ../shared).</summary>
internal static class SharedPaths
{
    public static string RepoRoot()
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

    public static string Shared() =>
        Environment.GetEnvironmentVariable("WEIR_SHARED") is { Length: > 0 } shared
            ? shared
            : Path.GetFullPath(Path.Combine(RepoRoot(), "..", "shared"));

    public static string FluxCrdsDir()
    {
        var dir = Path.Combine(Shared(), "reference", "flux-crds");
        Assert.True(Directory.Exists(dir), $"reference CRDs missing: {dir} (set WEIR_SHARED)");
        return dir;
    }
}
