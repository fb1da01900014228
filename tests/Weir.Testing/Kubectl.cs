namespace Weir.Testing;

/// <summary>The installed kubectl binaries: <c>kubectl.1.27</c> … <c>kubectl.1.33</c> beside the real kubectl.</summary>
public static class Kubectl
{
    /// <summary>The kubectl versions the suites run (minor numbers).</summary>
    public static readonly int[] Minors = [27, 28, 29, 30, 31, 32, 33];

    public static string Directory { get; } = FindDirectory();

    public static string Path(int minor = 32) => System.IO.Path.Combine(Directory, $"kubectl.1.{minor}");

    /// <summary>Runs kubectl of the given minor with a kubeconfig; returns exit code and output.</summary>
    public static Task<(int Code, string Out, string Err)> RunAsync(string kubeconfig, int minor, params string[] args) =>
        TestEnv.RunAsync(Path(minor), ["--kubeconfig", kubeconfig, .. args]);

    private static string FindDirectory()
    {
        foreach (var candidate in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/lib/google-cloud-sdk/bin"))
        {
            var path = System.IO.Path.Combine(candidate, "kubectl");
            if (!File.Exists(path))
            {
                continue;
            }

            var real = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
            var dir = System.IO.Path.GetDirectoryName(real)!;
            if (File.Exists(System.IO.Path.Combine(dir, "kubectl.1.27")))
            {
                return dir;
            }
        }

        return "/usr/lib/google-cloud-sdk/bin";
    }
}
