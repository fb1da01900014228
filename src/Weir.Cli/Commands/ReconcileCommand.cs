using System.CommandLine;
using Weir.Cli.Flux;
using Weir.Cli.Output;
using Weir.Core.Objects;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>weir reconcile source oci|git|helm|chart|bucket NAME</c>, <c>reconcile kustomization|ks NAME [--with-source]</c>,
/// <c>reconcile helmrelease|hr NAME [--with-source]</c>: request a reconciliation and wait for its outcome.
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

            command.SetAction(async (parse, token) =>
            {
                var client = kube.Connect(parse);
                var request = new ReconcileRequest(client, CliLog.Stderr, kube.TimeoutOf(parse));
                var key = new ObjectKey(kube.Ns(parse), parse.GetValue(objectName)!);
                await (withSource is not null && parse.GetValue(withSource) ? request.RunWithSourceAsync(kind, key, token) : request.RunAsync(kind, key, token));
                return CliAction.Ok;
            });
            return command;
        });
        return verb;
    }
}
