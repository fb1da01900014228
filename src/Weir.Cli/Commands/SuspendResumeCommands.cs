using System.CommandLine;
using Weir.Cli.Flux;
using Weir.Cli.Output;
using Weir.Core.Objects;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>weir suspend|resume &lt;kind&gt; NAME… | --all</c>: patch <c>spec.suspend</c>. Resume then waits for the object to
/// become Ready again (unless <c>--wait=false</c>), as flux does.
/// </summary>
public static class SuspendResumeCommands
{
    public static Command Suspend() => Create(suspend: true);

    public static Command Resume() => Create(suspend: false);

    private static Command Create(bool suspend)
    {
        var kube = new KubeOptions();
        var verb = kube.AddTo(new Command(suspend ? "suspend" : "resume", suspend ? "Suspend reconciliation of resources" : "Resume suspended resources"));
        KindTree.AddTo(verb, (kind, name) =>
        {
            var names = new Argument<string[]>("NAME") { Description = $"{kind.Kind} name(s)", Arity = ArgumentArity.ZeroOrMore };
            var all = new Option<bool>("--all") { Description = $"{(suspend ? "Suspend" : "Resume")} all {kind.Kind} objects in the namespace" };
            var command = new Command(name, $"{(suspend ? "Suspend" : "Resume")} a {kind.Kind}") { names, all };
            Option<bool>? wait = null;
            if (!suspend)
            {
                wait = new Option<bool>("--wait") { Description = "Wait for the resumed objects to become ready", DefaultValueFactory = _ => true };
                command.Options.Add(wait);
            }

            command.SetAction((parse, token) => RunAsync(kube, parse, kind, parse.GetValue(names) ?? [], parse.GetValue(all),
                suspend, wait is not null && parse.GetValue(wait), token));
            return command;
        });
        return verb;
    }

    private static async Task<int> RunAsync(KubeOptions kube, ParseResult parse, FluxKind kind, string[] names, bool all, bool suspend, bool wait, CancellationToken token)
    {
        if (names.Length == 0 && !all)
        {
            throw new CliUsageException($"{kind.HumanKind} name is required");
        }

        var client = kube.Connect(parse);
        var query = new FluxQuery(client);
        var ns = kube.Ns(parse);
        var log = CliLog.Stderr;
        var targets = all ? [.. (await query.ListAsync(kind, ns, cancellationToken: token)).Select(o => o.Name())] : names;
        if (targets.Length == 0)
        {
            throw new CliException($"no {kind.Kind} objects found in {ns} namespace");
        }

        var patched = new List<ObjectKey>();
        foreach (var target in targets)
        {
            var key = new ObjectKey(ns, target);
            if (await client.GetAsync(kind.Resource, key, token) is null)
            {
                log.Failure($"{kind.Kind} object '{target}' not found in {ns} namespace");
                continue;
            }

            await SuspendPatch.ApplyAsync(client, log, kind, key, suspend, token);
            patched.Add(key);
        }

        if (patched.Count < targets.Length)
        {
            return CliAction.Failed;
        }

        if (suspend || !wait)
        {
            return CliAction.Ok;
        }

        var request = new ReconcileRequest(client, log, kube.TimeoutOf(parse));
        var failed = 0;
        foreach (var key in patched)
        {
            log.Waiting($"waiting for {kind.Kind} reconciliation");
            try
            {
                var obj = await request.WaitAsync(kind, key, KStatus.IsReady, token);
                var status = FluxStatus.From(kind, obj);
                if (!status.IsReady)
                {
                    throw new CliException(status.Message);
                }

                log.Success($"{kind.Kind} {key.Name} reconciliation completed");
                log.Success(kind.SuccessMessage(obj));
            }
            catch (CliException e)
            {
                log.Failure($"{kind.Kind} {key.Name} reconciliation failed: {e.Message}");
                failed++;
            }
        }

        return failed == 0 ? CliAction.Ok : throw new CliException($"reconciliation failed for {failed} {kind.Kind}(s)");
    }
}
