using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Weir.Testing;

namespace Weir.Cli.Tests;

/// <summary>
/// The README's daily loop (between <c>&lt;!-- daily-loop --&gt;</c> markers), run exactly as written against
/// <c>weir up --demo</c>: every <c>$ </c> line is run by bash in order, and the lines shown under it must appear in its
/// output in that order (<c>…</c> stands for anything, runs of spaces for any spacing). The README's registry
/// address is replaced by the one this test's <c>weir up</c> listens on; <c>weir</c> is the CLI built beside the test.
/// </summary>
public sealed class ReadmeDailyLoopTests : IDisposable
{
    private const string ReadmeRegistry = "127.0.0.1:5050";
    private readonly string _work = TestEnv.TempDir("weir-readme-");

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task TheDailyLoopRunsAsTheReadmeShowsIt()
    {
        var steps = Steps(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "README.md")));
        Assert.Contains(steps, s => s.Command == "weir reconcile ks my-app --with-source");

        using var up = await WeirUpProcess.StartAsync(Path.Combine(_work, ".weir"), ["--demo"]);
        var registry = $"127.0.0.1:{up.RegistryPort}";
        var shell = new StringBuilder($"exec 2>&1\nweir() {{ dotnet '{WeirRun.Dll}' \"$@\"; }}\n");
        await WaitUntilLiveAsync(shell + $"export KUBECONFIG={_work}/.weir/kubeconfig\nweir status my-app", up);

        foreach (var (readmeCommand, expected) in steps)
        {
            var command = readmeCommand.Replace(ReadmeRegistry, registry, StringComparison.Ordinal);
            if (command.StartsWith("alias weir=", StringComparison.Ordinal))
            {
                continue; // The test's weir is the function above: the CLI built beside this test.
            }
            if (command.StartsWith("export ", StringComparison.Ordinal))
            {
                shell.AppendLine(command);
                continue;
            }
            var (code, output) = await BashAsync(shell + command);
            var pending = expected.FirstOrDefault()?.StartsWith("pending:", StringComparison.Ordinal) == true;
            Assert.True(code == (pending ? 4 : 0), $"$ {command}\nexit {code}\n{output}\n{up.Output}");
            AssertShows(expected.Select(e => e.Replace(ReadmeRegistry, registry, StringComparison.Ordinal)).ToList(), output, command);
        }
    }

    /// <summary>The commands of the README's daily-loop block with the output lines shown under each.</summary>
    private static List<(string Command, List<string> Expected)> Steps(string readme)
    {
        var block = Regex.Match(readme, "<!-- daily-loop -->\n(.*?)<!-- /daily-loop -->", RegexOptions.Singleline);
        Assert.True(block.Success, "README.md has no <!-- daily-loop --> block");
        var steps = new List<(string, List<string>)>();
        foreach (var line in block.Groups[1].Value.Split('\n').Where(l => l.Length > 0).Select(l => l.StartsWith("    ", StringComparison.Ordinal) ? l[4..] : l))
        {
            if (line.StartsWith("$ ", StringComparison.Ordinal))
            {
                steps.Add((line[2..], []));
            }
            else
            {
                Assert.True(steps.Count > 0, "output before the first command: " + line);
                steps[^1].Item2.Add(line);
            }
        }
        return steps;
    }

    private static void AssertShows(List<string> expected, string output, string command)
    {
        var lines = output.Split('\n').Select(l => l.Trim()).ToList();
        var at = 0;
        foreach (var want in expected)
        {
            var pattern = new Regex("^" + string.Join(@"\s+", want.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .Select(w => string.Join(".*?", w.Split('…').Select(Regex.Escape)))) + "$");
            var found = lines.FindIndex(at, pattern.IsMatch);
            Assert.True(found >= 0, $"$ {command}\nexpected, after line {at}: {want}\ngot:\n{output}");
            at = found + 1;
        }
    }

    private async Task WaitUntilLiveAsync(string script, WeirUpProcess up)
    {
        var started = Stopwatch.StartNew();
        var last = "";
        while (started.Elapsed < TimeSpan.FromSeconds(90))
        {
            Assert.False(up.HasExited, "weir up exited:\n" + up.Output);
            (var code, last) = await BashAsync(script);
            if (code == 0)
            {
                return;
            }
            await Task.Delay(500);
        }
        throw new TimeoutException("the demo did not become live:\n" + last + "\n" + up.Output);
    }

    private async Task<(int Code, string Output)> BashAsync(string script)
    {
        // The script sends stderr to stdout itself (exec 2>&1), so Out is everything a user would see.
        var result = await TestProcess.RunAsync("bash", ["-c", script], _work, new Dictionary<string, string?>
        {
            ["FLUX_SYSTEM_NAMESPACE"] = null,
            ["WEIR_TTY"] = null,
            ["WEIR_POLL_INTERVAL"] = "200ms",
        });
        return (result.Code, result.Out);
    }
}
