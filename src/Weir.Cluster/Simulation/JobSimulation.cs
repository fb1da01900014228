using System.Text.Json.Nodes;
using Weir.Cluster.Api;
using Weir.Cluster.Storage;

namespace Weir.Cluster.Simulation;

/// <summary>
/// The Job controller: keeps min(parallelism, remaining completions) pods <c>NAME-xxxxx</c> running (labelled
/// <c>batch.kubernetes.io/job-name</c>, <c>job-name</c>, <c>batch.kubernetes.io/controller-uid</c> and
/// <c>controller-uid</c>) and counts the ones that finish. Enough Succeeded pods complete the Job
/// (<c>SuccessCriteriaMet</c>, <c>Complete</c>); more Failed pods than <c>backoffLimit</c> (or, with restartPolicy
/// OnFailure, as many container restarts) fail it (<c>FailureTarget</c>, <c>Failed</c>, reason
/// <c>BackoffLimitExceeded</c>) and its running pods are deleted. A failed pod is replaced at once (no back-off
/// delay). Suspended Jobs wait.
/// </summary>
internal sealed class JobSimulation(SimulationContext ctx)
{
    private const string Component = "job-controller";

    public void Reconcile(ObjectKey key)
    {
        var job = ctx.Get(ctx.Jobs, key);
        if (job is null || Json.Deleting(job) || Json.Bool(Json.At(job, "spec", "suspend")))
        {
            return;
        }
        var old = job["status"] as JsonObject;
        var pods = ctx.PodIndex.ControlledBy(key.Namespace, "Job", key.Name, Json.Uid(job));
        var active = pods.Where(p => p.Active).ToList();
        if (Finished(old))
        {
            foreach (var pod in active)
            {
                ctx.DeletePod(pod);
            }
            return;
        }
        var completions = Json.Int(Json.At(job, "spec", "completions"), 1);
        var parallelism = Json.Int(Json.At(job, "spec", "parallelism"), 1);
        var backoffLimit = Json.Int(Json.At(job, "spec", "backoffLimit"), 6);
        var template = Json.At(job, "spec", "template");
        // Counts never go down when finished pods are deleted (Kubernetes tracks them with finalizers).
        var succeeded = Math.Max(Json.Int(old?["succeeded"]), pods.Count(p => p.Phase == "Succeeded"));
        var failed = Math.Max(Json.Int(old?["failed"]), pods.Count(p => p.Phase == "Failed"));
        var restarts = active.Sum(p => p.Restarts);
        var now = GenericRegistry.Now();
        var status = new JsonObject
        {
            ["startTime"] = Json.Str(old?["startTime"]) is { Length: > 0 } s ? s : now,
        };
        var onFailure = Json.Str(Json.At(template, "spec", "restartPolicy")) == "OnFailure";
        var pastBackoff = failed > backoffLimit || (onFailure && (backoffLimit == 0 ? restarts > 0 : restarts >= backoffLimit));
        if (pastBackoff)
        {
            foreach (var pod in active)
            {
                ctx.DeletePod(pod);
            }
            active.Clear();
            status["conditions"] = Conditions(now, "FailureTarget", "Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit");
            ctx.Events.About(job, "Warning", "BackoffLimitExceeded", "Job has reached the specified backoff limit", Component);
        }
        else if (succeeded >= completions)
        {
            foreach (var pod in active)
            {
                ctx.DeletePod(pod);
            }
            active.Clear();
            status["completionTime"] = now;
            status["conditions"] = Conditions(now, "SuccessCriteriaMet", "Complete", "CompletionsReached", "Reached expected number of succeeded pods");
            ctx.Events.About(job, "Normal", "Completed", "Job completed", Component);
        }
        else
        {
            var wanted = Math.Min(parallelism, completions - succeeded);
            for (var i = active.Count; i < wanted; i++)
            {
                var created = ctx.CreatePod(key.Namespace, PodFactory.Build(job, template, null,
                    [new("controller-uid", Json.Uid(job)), new("job-name", key.Name)], ctx.Options.NodeName));
                if (ctx.PodIndex.Find(key.Namespace, Json.Name(created)) is { } info)
                {
                    active.Add(info);
                }
            }
        }
        if (active.Count > 0)
        {
            status["active"] = active.Count;
        }
        Json.PutNonZero(status, "succeeded", succeeded);
        Json.PutNonZero(status, "failed", failed);
        status["ready"] = active.Count(p => p.Ready);
        status["terminating"] = 0;
        status["uncountedTerminatedPods"] = new JsonObject();
        ctx.WriteStatus(ctx.Jobs, job, status);
    }

    private static bool Finished(JsonObject? status) =>
        (Json.At(status, "conditions") as JsonArray)?.OfType<JsonObject>()
            .Any(c => Json.Str(c["type"]) is "Complete" or "Failed" && Json.Str(c["status"]) == "True") ?? false;

    /// <summary>The interim condition and the final one, as the Job controller of 1.31+ sets them.</summary>
    private static JsonArray Conditions(string now, string interim, string final, string reason, string message) =>
        new(Condition(interim, now, reason, message), Condition(final, now, reason, message));

    private static JsonObject Condition(string type, string now, string reason, string message) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastProbeTime"] = now,
        ["lastTransitionTime"] = now,
        ["reason"] = reason,
        ["message"] = message,
    };
}
