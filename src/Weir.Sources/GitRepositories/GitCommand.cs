using System.Diagnostics;

namespace Weir.Sources.GitRepositories;

/// <summary>A git command that failed; <see cref="Exception.Message"/> is git's own error, redacted.</summary>
public sealed class GitException(string message) : Exception(message);

/// <summary>
/// Runs the <c>git</c> executable with a fixed, isolated environment: no system or user configuration, no prompts,
/// only the http, https and ssh transports, and the connection settings of one repository (<see cref="GitAccess"/>)
/// passed as environment variables, so credentials never appear on a command line. Everything git prints is redacted
/// by <see cref="GitAccess.Redact"/> before it is returned or thrown.
/// </summary>
public sealed class GitCommand(GitAccess access)
{
    /// <summary>The git executable (PATH lookup).</summary>
    public static string Executable { get; set; } = "git";

    /// <summary>Runs git in <paramref name="gitDir"/>'s repository (or none) and returns its standard output.</summary>
    public async Task<string> RunAsync(string? gitDir, IReadOnlyList<string> arguments, CancellationToken cancellationToken, string? workTree = null)
    {
        var (exitCode, output, errors) = await RunProcessAsync(GitStartInfo(gitDir, arguments, workTree), cancellationToken);
        if (exitCode != 0)
        {
            throw new GitException(access.Redact(ErrorOf(errors, exitCode)));
        }

        return output;
    }

    /// <summary>
    /// Runs git in <paramref name="gitDir"/>'s repository while <paramref name="exchange"/> writes its standard input
    /// and reads its standard output as they stream (for <c>cat-file --batch</c>); git is killed if the exchange fails.
    /// </summary>
    public async Task ExchangeAsync(string gitDir, IReadOnlyList<string> arguments, Func<Stream, Stream, Task> exchange, CancellationToken cancellationToken)
    {
        using var process = Process.Start(GitStartInfo(gitDir, arguments, null)) ?? throw new GitException("failed to start git");
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await exchange(process.StandardInput.BaseStream, process.StandardOutput.BaseStream);
            process.StandardInput.Close();
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (Exception)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new GitException(access.Redact(ErrorOf(await stderr, process.ExitCode)));
        }
    }

    private ProcessStartInfo GitStartInfo(string? gitDir, IReadOnlyList<string> arguments, string? workTree)
    {
        IEnumerable<string> location = [.. gitDir is null ? [] : new[] { "--git-dir=" + gitDir }, .. workTree is null ? [] : new[] { "--work-tree=" + workTree }];
        var start = StartInfo(Executable, [.. location, .. arguments]);

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("GIT_", StringComparison.Ordinal) || k == "SSH_ASKPASS").ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_CONFIG_GLOBAL"] = "/dev/null";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_ALLOW_PROTOCOL"] = "http:https:ssh";
        start.Environment["LC_ALL"] = "C";
        access.AddTo(start.Environment);
        return start;
    }

    /// <summary>How a tool is started to be run by <see cref="RunProcessAsync"/>: no shell, every stream redirected.</summary>
    public static ProcessStartInfo StartInfo(string tool, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    /// <summary>Runs a tool with closed input to its end (killed with its children when cancelled): exit code, output, errors.</summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunProcessAsync(ProcessStartInfo start, CancellationToken cancellationToken)
    {
        using var process = Process.Start(start) ?? throw new GitException($"failed to start {start.FileName}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    // git reports the cause on its "fatal:"/"error:" lines; progress and hints are noise in a condition message.
    private static string ErrorOf(string stderr, int exitCode)
    {
        var lines = stderr.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (lines.Any(l => l.Contains("could not read Username", StringComparison.Ordinal) || l.Contains("Authentication failed", StringComparison.Ordinal)))
        {
            return "authentication required";
        }

        // What ssh or the remote said comes before git's own "fatal:" line; hints after it are left out.
        var fatal = Array.FindIndex(lines, l => l.StartsWith("fatal: ", StringComparison.Ordinal));
        var causes = (fatal < 0 ? lines.TakeLast(1) : lines.Take(fatal + 1))
            .Where(l => !l.StartsWith("hint: ", StringComparison.Ordinal) && !l.StartsWith("warning: ", StringComparison.OrdinalIgnoreCase))
            .Select(l => l.StartsWith("fatal: ", StringComparison.Ordinal) || l.StartsWith("error: ", StringComparison.Ordinal)
                ? l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..] : l)
            .ToList();
        var message = string.Join(" ", causes);
        return message.Length > 0 ? message : $"git exited with code {exitCode}";
    }
}
