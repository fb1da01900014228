using System.Text.Json.Nodes;
using Weir.Cli.Output;
using Weir.Core.Objects;
using Weir.Runtime.Kube;

namespace Weir.Cli.Flux;

/// <summary>flux's suspend/resume: merge-patch <c>spec.suspend</c> (removed on resume), logging ► and ✔ as flux does.</summary>
public static class SuspendPatch
{
    public static async Task ApplyAsync(ResourceClient client, CliLog log, FluxKind kind, ObjectKey key, bool suspend, CancellationToken cancellationToken)
    {
        log.Action($"{(suspend ? "suspending" : "resuming")} {kind.HumanKind} {key.Name} in {key.Namespace} namespace");
        var patch = new JsonObject { ["spec"] = new JsonObject { ["suspend"] = suspend ? true : null } };
        await client.PatchAsync(kind.Resource, key, patch, "merge", cancellationToken: cancellationToken);
        log.Success($"{kind.HumanKind} {(suspend ? "suspended" : "resumed")}");
    }
}
