using System.CommandLine;
using Weir.Cli.Flux;
using Weir.Cli.Output;
using Weir.Core.Objects;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>weir reconcile source oci|git|helm|chart|bucket NAME</c>, <c>reconcile kustomization|ks NAME [--with-source]</c>,
/// <c>reconcile helmrelease|hr NAME [--with-source] [--force] [--reset]</c>: request a reconciliation and wait for its
/// outcome (<c>--force</c>/<c>--reset</c> set forceAt/resetAt to the same token as requestedAt, as flux does).
/// </summary>
public static class ReconcileCommand
{
    public static Command Create()
    {
        var kube = new KubeOptions();
        var verb = kube.AddTo(new Command("reconcile", "Reconcile a Flux resource"));
        KindTree.AddTo(verb, (kind, name) =>
        {
            var objectName = new Argument<string>("NAME") { Description = $"{kind.Kind} name" };
            var command = new Command(name, $"Reconcile a {kind.Kind}") { objectName };
            Option<bool>? withSource = null;
            if (kind == FluxKind.Kustomization || kind == FluxKind.HelmRelease)
            {
                withSource = new Option<bool>("--with-source") { Description = "Reconcile the source first" };
                command.Options.Add(withSource);
            }

            Option<bool>? force = null, reset = null;
            if (kind == FluxKind.HelmRelease)
            {
                force = new Option<bool>("--force") { Description = "Force a one-off install or upgrade of the HelmRelease resource" };
                reset = new Option<bool>("--reset") { Description = "Reset the failure counters of the HelmRelease resource" };
                command.Options.Add(force);
                command.Options.Add(reset);
            }

            command.SetAction(async (parse, token) =>
            {
                var client = kube.Connect(parse);
                var request = new ReconcileRequest(client, CliLog.Stderr, kube.TimeoutOf(parse));
                var key = new ObjectKey(kube.Ns(parse), parse.GetValue(objectName)!);
                string[] also =
                [
                    .. force is not null && parse.GetValue(force) ? [ReconcileRequest.ForceAtAnnotation] : Array.Empty<string>(),
                    .. reset is not null && parse.GetValue(reset) ? [ReconcileRequest.ResetAtAnnotation] : Array.Empty<string>(),
                ];
                await (withSource is not null && parse.GetValue(withSource)
                    ? request.RunWithSourceAsync(kind, key, token, also)
                    : request.RunAsync(kind, key, token, also));
                return CliAction.Ok;
            });
            return command;
        });
        return verb;
    }
}
