using System.Text.Json.Nodes;
using Weir.Cluster.Api;
using Weir.Cluster.Storage;

namespace Weir.Cluster.Simulation;

/// <summary>The Job controller: a started Job has its pods active, then succeeds after the delay (never with a broken image); suspended Jobs wait.</summary>
internal sealed class JobSimulation(SimulationContext ctx)
{
    private const string Reason = "CompletionsReached";
    private const string Message = "Reached expected number of succeeded pods";

    public void Reconcile(ObjectKey key)
    {
        var job = ctx.Get(ctx.Jobs, key);
        if (job is null || Json.Deleting(job) || Json.Bool(Json.At(job, "spec", "suspend")))
        {
            return;
        }
        var old = job["status"] as JsonObject;
        if (StatusConditions.Find(old, "Complete") is not null || StatusConditions.Find(old, "Failed") is not null)
        {
            return;
        }
        var completions = Json.Int(Json.At(job, "spec", "completions"), 1);
        var parallelism = Json.Int(Json.At(job, "spec", "parallelism"), 1);
        var now = GenericRegistry.Now();
        var startTime = Json.Str(old?["startTime"]) is { Length: > 0 } s ? s : now;
        var template = Json.At(job, "spec", "template");
        var status = new JsonObject();
        if (ctx.ReadyYet(key, Json.Uid(job)) && BrokenImage.In(template) is null)
        {
            status["conditions"] = new JsonArray(Condition("SuccessCriteriaMet", now), Condition("Complete", now));
            status["startTime"] = startTime;
            status["completionTime"] = now;
            status["succeeded"] = completions;
        }
        else
        {
            if (BrokenImage.In(template) is { } broken && SimulationContext.Now >= ctx.Since(key, Json.Uid(job)) + ctx.Options.ReadyDelay)
            {
                ctx.ReportPullFailure(key, [$"{key.Name}-{PodTemplateHash.Suffix(Json.Uid(job))}"], broken);
            }
            status["startTime"] = startTime;
            status["active"] = Math.Min(parallelism, completions);
        }
        status["ready"] = 0;
        status["terminating"] = 0;
        status["uncountedTerminatedPods"] = new JsonObject();
        ctx.WriteStatus(ctx.Jobs, job, status);
    }

    private static JsonObject Condition(string type, string now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastProbeTime"] = now,
        ["lastTransitionTime"] = now,
        ["reason"] = Reason,
        ["message"] = Message,
    };
}
