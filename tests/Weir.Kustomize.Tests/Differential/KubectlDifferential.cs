using Weir.Kustomize.Build;

namespace Weir.Kustomize.Tests.Differential;

/// <summary>
/// Builds file trees with Weir and with <c>kubectl kustomize</c>: both print the same bytes, or both fail (the error
/// text is informational, as in the corpus).
/// </summary>
internal static class KubectlDifferential
{
    /// <summary>What differs (null when Weir and kubectl agree on the tree), and whether kubectl built it.</summary>
    public static (string? Disagreement, bool Built) Compare(IReadOnlyDictionary<string, string> files, string build = ".")
    {
        var dir = Directory.CreateTempSubdirectory("weir-kdiff-").FullName;
        try
        {
            foreach (var (path, text) in files)
            {
                var full = Path.Combine(dir, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllText(full, text);
            }

            var root = Path.Combine(dir, build);
            var (code, stdout, stderr) = KubectlOracle.Kustomize(root);
            string weir;
            try
            {
                weir = Kustomizer.BuildYaml(root);
            }
            catch (KustomizeException e)
            {
                return (code == 0 ? $"Weir failed ({e.Message}) where kubectl built:\n{stdout}" : null, code == 0);
            }

            if (code != 0)
            {
                return ($"kubectl failed ({stderr.Trim()}) where Weir built:\n{weir}", false);
            }

            return (stdout == weir ? null : $"kubectl:\n{stdout}\nWeir:\n{weir}", true);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>
    /// Generates <paramref name="cases"/> trees from a fixed seed and asserts that Weir and kubectl agree on each;
    /// at least <paramref name="minBuilt"/> of them must build (so the generator tests output, not only errors).
    /// </summary>
    public static void AssertAgree(int seed, int cases, Func<Random, Dictionary<string, string>> generate, int minBuilt = 1)
    {
        var failures = new List<string>();
        var built = 0;
        for (var i = 0; i < cases; i++)
        {
            var files = generate(new Random(seed + i));
            var (disagreement, ok) = Compare(files);
            if (disagreement is not null)
            {
                failures.Add($"case {i} (seed {seed + i}):\n{Describe(files)}\n{disagreement}");
            }

            built += ok ? 1 : 0;
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases} disagree:\n" + string.Join("\n=====\n", failures.Take(3)));
        Assert.True(built >= minBuilt, $"only {built} of {cases} cases built");
    }

    public static string Describe(Dictionary<string, string> files) =>
        string.Join("\n", files.Select(f => $"--- {f.Key}\n{f.Value}"));

    /// <summary>Picks one of the items.</summary>
    public static T Pick<T>(this Random rnd, params T[] items) => items[rnd.Next(items.Length)];

    /// <summary>True with probability one in <paramref name="n"/>.</summary>
    public static bool OneIn(this Random rnd, int n) => rnd.Next(n) == 0;
}
