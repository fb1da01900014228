using System.CommandLine;
using System.CommandLine.Invocation;
using System.Runtime.InteropServices;

namespace Weir.Cli.Output;

/// <summary>
/// The one place a <c>weir</c> command ends: a failure, whatever threw it, prints one <c>✗ message</c> line on stderr
/// (flux's convention) and never a stack trace. Exit codes are stable: 0 success, 1 failure or not ready, 2 usage
/// error, 130 interrupted.
/// </summary>
public static class CliAction
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;
    public const int Interrupted = 130;

    /// <summary>Runs the parsed command line and returns the process exit code.</summary>
    public static int Invoke(ParseResult parse, TextWriter? error = null)
    {
        var log = error is null ? CliLog.Stderr : new CliLog(error);
        if (parse.Errors.Count > 0 && parse.Action is ParseErrorAction)
        {
            log.Failure(string.Join("; ", parse.Errors.Select(e => OneLine(e.Message).TrimEnd('.'))) + " (see --help)");
            return Usage;
        }

        // --help wins over a missing argument, but not over an unknown command: `weir helm template --help` is no help.
        if (parse.UnmatchedTokens.Count > 0)
        {
            log.Failure(string.Join("; ", parse.UnmatchedTokens.Select(t => $"Unrecognized command or argument '{t}'")) + " (see --help)");
            return Usage;
        }

        // System.CommandLine cancels the action's token on Ctrl-C or SIGTERM; only then is a cancellation no failure.
        var interrupted = false;
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => interrupted = true);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => interrupted = true);
        try
        {
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (interrupted && Unwrap(e) is OperationCanceledException)
        {
            return Interrupted;
        }
        catch (Exception e)
        {
            var (message, code) = Describe(Unwrap(e));
            log.Failure(message);
            return code;
        }
    }

    private static string OneLine(string message) => string.Join(' ', message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    private static Exception Unwrap(Exception e) => e is AggregateException { InnerExceptions.Count: 1 } wrapped ? Unwrap(wrapped.InnerExceptions[0]) : e;

    /// <summary>What a failure prints and the exit code it ends with.</summary>
    private static (string Message, int Code) Describe(Exception e) => e switch
    {
        CliExitCode withCode => (Describe(Unwrap(withCode.InnerException!)).Message, withCode.Code),
        CliUsageException => (OneLine(e.Message), Usage),
        HttpRequestException => ($"unable to reach the API server: {OneLine(e.Message)}", Failed),
        _ => (OneLine(e.Message), Failed),
    };
}

/// <summary>A failure that ends its command with another exit code than 1 (flux's <c>diff</c> exits 2 on errors).</summary>
public sealed class CliExitCode(int code, Exception inner) : Exception(inner.Message, inner)
{
    public int Code { get; } = code;
}
