using System.Text;
using Weir.Cli.Flux;
using Weir.Cli.Output;
using Weir.Runtime.Kube;

namespace Weir.Cli.Ui;

/// <summary>
/// The UI's actions, through the code the CLI verbs use (<see cref="ReconcileRequest"/>, <see cref="SuspendPatch"/>),
/// each in the background; their ► ✔ ◎ ✗ lines go to <paramref name="report"/> as they are printed.
/// </summary>
public sealed class UiActions(ResourceClient client, Action<string> report)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public Task ReconcileAsync(FluxRow row, bool withSource) => RunAsync(log =>
    {
        var request = new ReconcileRequest(client, log, Timeout);
        return withSource && SourceReference.Of(row.Object) is not null
            ? request.RunWithSourceAsync(row.Kind, row.Key, CancellationToken.None)
            : request.RunAsync(row.Kind, row.Key, CancellationToken.None);
    });

    public Task SuspendAsync(FluxRow row, bool suspend) =>
        RunAsync(log => SuspendPatch.ApplyAsync(client, log, row.Kind, row.Key, suspend, CancellationToken.None));

    /// <summary>flux delete's lines: <c>► deleting kustomization my-app in flux-system namespace</c>, <c>✔ kustomization deleted</c>.</summary>
    public Task DeleteAsync(FluxRow row) => RunAsync(async log =>
    {
        log.Action($"deleting {row.Kind.HumanKind} {row.Status.Name} in {row.Status.Namespace} namespace");
        await client.DeleteAsync(row.Kind.Resource, row.Key, CancellationToken.None);
        log.Success($"{row.Kind.HumanKind} deleted");
    });

    private Task RunAsync(Func<CliLog, Task> action) => Task.Run(async () =>
    {
        var log = new CliLog(new LineWriter(report));
        try
        {
            await action(log);
        }
        catch (Exception e) when (e is CliException or KubeApiException or HttpRequestException or OperationCanceledException)
        {
            log.Failure(e.Message);
        }
    });

    /// <summary>A writer that hands on every complete line.</summary>
    private sealed class LineWriter(Action<string> line) : TextWriter
    {
        private readonly StringBuilder _pending = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            if (value == '\n')
            {
                line(_pending.ToString());
                _pending.Clear();
            }
            else if (value != '\r')
            {
                _pending.Append(value);
            }
        }
    }
}
