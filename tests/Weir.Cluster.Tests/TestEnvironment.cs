namespace Weir.Cluster.Tests;

/// <summary>This suite's own test data; shared paths, temp directories and kubectl live in Weir.Testing.</summary>
public static class TestEnvironment
{
    public static string Fixtures { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures");
}
