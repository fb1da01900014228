using System.CommandLine;
using Weir.Runtime.Kube;

namespace Weir.Cli.Output;

/// <summary>
/// Runs a verb with flux's error convention: failures print <c>✗ message</c> on stderr. Exit codes are stable:
/// 0 success, 1 failure or not ready, 2 usage error.
/// </summary>
public static class CliAction
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int Usage = 2;

    public static void Set(Command command, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, token) =>
        {
            try
            {
                return await action(parse, token);
            }
            catch (CliUsageException e)
            {
                CliLog.Stderr.Failure(e.Message);
                return Usage;
            }
            catch (CliException e)
            {
                CliLog.Stderr.Failure(e.Message);
                return Failed;
            }
            catch (KubeApiException e)
            {
                CliLog.Stderr.Failure(e.Message);
                return Failed;
            }
            catch (HttpRequestException e)
            {
                CliLog.Stderr.Failure($"unable to reach the API server: {e.Message}");
                return Failed;
            }
            catch (k8s.Exceptions.KubeConfigException e)
            {
                CliLog.Stderr.Failure(e.Message);
                return Failed;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return 130;
            }
        });
}
