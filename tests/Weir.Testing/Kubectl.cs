using System.Diagnostics;
using Xunit;

namespace Weir.Testing;

/// <summary>
/// One real kubectl binary acting through a kubeconfig, with its own discovery cache and <c>HOME</c> under a work
/// directory; and, statically, the installed binaries <c>kubectl.1.27</c> … <c>kubectl.1.33</c> beside the real kubectl.
/// </summary>
public sealed class Kubectl(string binary, string kubeconfig, string workDir)
{
    /// <summary>The kubectl versions the suites run (minor numbers).</summary>
    public static readonly int[] Minors = [27, 28, 29, 30, 31, 32, 33];

    public static string Directory { get; } = FindDirectory();

    public static string Path(int minor = 32) => System.IO.Path.Combine(Directory, $"kubectl.1.{minor}");

    /// <summary>Runs kubectl of the given minor with a kubeconfig; returns exit code and output.</summary>
    public static Task<ProcessResult> RunAsync(string kubeconfig, int minor, params string[] args) =>
        TestProcess.RunAsync(Path(minor), ["--kubeconfig", kubeconfig, .. args]);

    public string Binary { get; } = binary;

    public string Kubeconfig { get; } = kubeconfig;

    public string WorkDir { get; } = workDir;

    /// <summary>The same binary and work directory acting through another kubeconfig (another user).</summary>
    public Kubectl As(string otherKubeconfig) => new(Binary, otherKubeconfig, WorkDir);

    public Task<ProcessResult> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string?>(), args);

    /// <summary>Runs with more environment variables (e.g. <c>KUBE_EDITOR</c>).</summary>
    public Task<ProcessResult> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        TestProcess.RunAsync(Binary, Arguments(args), WorkDir, new Dictionary<string, string?>(Environment.Concat(environment)), timeout: TimeSpan.FromSeconds(60));

    /// <summary>Runs and asserts success, returning stdout.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var r = await RunAsync(args);
        Assert.True(r.Code == 0, $"{System.IO.Path.GetFileName(Binary)} {string.Join(' ', args)} failed:\n{r}");
        return r.Out;
    }

    /// <summary>Starts kubectl without waiting (for -w and background steps).</summary>
    public Process Start(params string[] args) => TestProcess.Start(Binary, Arguments(args), WorkDir, Environment);

    private Dictionary<string, string?> Environment => new() { ["HOME"] = WorkDir, ["KUBECONFIG"] = null };

    private string[] Arguments(string[] args) =>
        ["--kubeconfig", Kubeconfig, "--cache-dir", System.IO.Path.Combine(WorkDir, "kube-cache"), .. args];

    private static string FindDirectory()
    {
        foreach (var candidate in (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/lib/google-cloud-sdk/bin"))
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
