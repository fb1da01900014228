using System.Diagnostics;
using System.Text;

namespace Weir.Testing;

/// <summary>What a finished process printed and how it exited.</summary>
public sealed record ProcessResult(int Code, string Out, string Err)
{
    /// <summary>Standard output followed by standard error.</summary>
    public string Output => Out + Err;

    public override string ToString() => $"exit {Code}\nstdout:\n{Out}\nstderr:\n{Err}";
}

/// <summary>
/// The one way tests run another program (kubectl, the Go oracle, git, the weir CLI …): arguments passed one by
/// one (no shell quoting), output read as UTF-8 while the process runs, a time limit after which the process tree
/// is killed and the test fails with what it printed so far.
/// </summary>
public static class TestProcess
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Starts <paramref name="file"/> with its output (and, when <paramref name="redirectInput"/>, its input)
    /// redirected. <paramref name="environment"/> sets variables; a null value removes one.
    /// </summary>
    public static Process Start(string file, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, bool redirectInput = false)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardInput = redirectInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                psi.Environment.Remove(name);
            }
            else
            {
                psi.Environment[name] = value;
            }
        }

        return Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start");
    }

    /// <summary>Runs <paramref name="file"/> to its end, writing <paramref name="input"/> (if any) to its standard input.</summary>
    public static async Task<ProcessResult> RunAsync(string file, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, string? input = null, TimeSpan? timeout = null)
    {
        using var process = Start(file, args, workingDirectory, environment, redirectInput: input is not null);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input).ConfigureAwait(false);
            process.StandardInput.Close();
        }

        var limit = timeout ?? DefaultTimeout;
        using var expired = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(expired.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
            throw new TimeoutException($"{Path.GetFileName(file)} {string.Join(' ', args)} ran longer than {limit}:\n" +
                new ProcessResult(-1, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false)));
        }

        return new ProcessResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary><see cref="RunAsync"/> for callers that cannot await (theory data, oracles called from synchronous code).</summary>
    public static ProcessResult Run(string file, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, string? input = null, TimeSpan? timeout = null) =>
        Task.Run(() => RunAsync(file, args, workingDirectory, environment, input, timeout)).GetAwaiter().GetResult();
}
