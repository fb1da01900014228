using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Helm.Releases;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;

namespace Weir.Helm.Actions;

/// <summary>
/// Runs a release's hooks for one event as Helm does: by weight, then name; each one deleted first when its policy
/// says <c>before-hook-creation</c> (the default when it names none), created, and — for Jobs and Pods — waited for
/// until it completes. A failed hook is deleted under <c>hook-failed</c> and the hooks before it under
/// <c>hook-succeeded</c>; when all succeed, each is deleted under <c>hook-succeeded</c>, last first.
/// Each hook's <see cref="ReleaseHook.LastRun"/> records the run.
/// </summary>
internal sealed class HookRunner(ReleaseResources resources, ResourceMapper mapper)
{
    private const string BeforeHookCreation = "before-hook-creation";
    private const string HookSucceeded = "hook-succeeded";
    private const string HookFailed = "hook-failed";
    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxPoll = TimeSpan.FromSeconds(2);

    /// <summary>Runs the hooks (only those whose name <c>filter</c> accepts, when given); returns the release with their last runs recorded.</summary>
    /// <exception cref="HookFailedException">A hook could not be created or did not complete; it carries the updated release.</exception>
    public async Task<Release> RunAsync(
        Release release, string hookEvent, TimeSpan timeout, CancellationToken cancellationToken, Func<string, bool>? filter = null, HelmLog log = default)
    {
        var hooks = release.Hooks.ToList();
        var order = Enumerable.Range(0, hooks.Count)
            .Where(i => hooks[i].Events.Contains(hookEvent) && (filter is null || filter(hooks[i].Name)))
            .OrderBy(i => hooks[i].Weight).ThenBy(i => hooks[i].Name, StringComparer.Ordinal)
            .ToList();
        for (var n = 0; n < order.Count; n++)
        {
            var i = order[n];
            var hook = hooks[i];
            var obj = await BuildAsync(hook, release.Namespace, cancellationToken);
            await DeleteByPolicyAsync(hook, obj, BeforeHookCreation, timeout, cancellationToken);
            var started = DateTimeOffset.UtcNow;
            log.Debug("running hook", ("event", hookEvent), ("path", hook.Path), ("kind", hook.Kind), ("name", hook.Name));
            string? failure;
            try
            {
                var resource = await mapper.MapAsync(obj.Gvk(), cancellationToken);
                await resources.Client.ApplyAsync(resource, obj, ReleaseResources.FieldManager, force: false, cancellationToken: cancellationToken);
                failure = await WaitAsync(resource, obj, timeout, cancellationToken);
            }
            catch (KubeApiException e)
            {
                failure = e.Message;
            }

            hooks[i] = hook with { LastRun = new HookExecution { StartedAt = started, CompletedAt = DateTimeOffset.UtcNow, Phase = failure is null ? HookExecution.Succeeded : HookExecution.Failed } };
            if (failure is not null)
            {
                log.Error("hook failed", ("event", hookEvent), ("path", hook.Path), ("error", failure));
                var failed = release with { Hooks = hooks };
                await DeleteByPolicyAsync(hook, obj, HookFailed, timeout, cancellationToken);
                foreach (var j in order.Take(n))
                {
                    await DeleteByPolicyAsync(hooks[j], await BuildAsync(hooks[j], release.Namespace, cancellationToken), HookSucceeded, timeout, cancellationToken);
                }

                throw new HookFailedException($"{hookEvent} hook {hook.Path} failed: {failure}", hooks[i], failed);
            }
        }

        foreach (var i in Enumerable.Reverse(order))
        {
            await DeleteByPolicyAsync(hooks[i], await BuildAsync(hooks[i], release.Namespace, cancellationToken), HookSucceeded, timeout, cancellationToken);
        }

        return release with { Hooks = hooks };
    }

    private async Task<JsonObject> BuildAsync(ReleaseHook hook, string ns, CancellationToken cancellationToken)
    {
        var objects = await resources.BuildAsync(hook.Manifest, ns, owner: null, cancellationToken);
        return objects.Count == 1 ? objects[0] : throw new HelmActionException($"unable to build kubernetes object for hook {hook.Path}: expected one object, found {objects.Count}");
    }

    private async Task DeleteByPolicyAsync(ReleaseHook hook, JsonObject obj, string policy, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var policies = hook.DeletePolicies.Count == 0 ? [BeforeHookCreation] : hook.DeletePolicies;
        if (hook.Kind == "CustomResourceDefinition" || !policies.Contains(policy))
        {
            return;
        }

        var resource = await mapper.MapAsync(obj.Gvk(), cancellationToken);
        if (await resources.Client.DeleteAsync(resource, new ObjectKey(obj.Namespace(), obj.Name()), cancellationToken, propagationPolicy: "Background"))
        {
            await resources.WaitDeletedAsync([obj], timeout, cancellationToken);
        }
    }

    /// <summary>Helm waits for Jobs to complete and Pods to succeed; other kinds are done once created.</summary>
    private async Task<string?> WaitAsync(KubeResource resource, JsonObject obj, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (obj.Kind() is not ("Job" or "Pod"))
        {
            return null;
        }

        var deadline = DateTimeOffset.UtcNow + timeout;
        var pause = FirstPoll;
        while (true)
        {
            var live = await resources.Client.GetAsync(resource, new ObjectKey(obj.Namespace(), obj.Name()), cancellationToken);
            if (Outcome(live) is { } outcome)
            {
                return outcome.Length == 0 ? null : outcome;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                return $"{obj.Kind()} {obj.Name()} did not complete: context deadline exceeded";
            }

            await WorkerSlot.DelayAsync(pause, TimeProvider.System, cancellationToken);
            pause = pause * 2 < MaxPoll ? pause * 2 : MaxPoll;
        }
    }

    /// <summary>"" when the hook succeeded, the failure when it failed, null while it runs.</summary>
    private static string? Outcome(JsonObject? live)
    {
        if (live is null)
        {
            return "object not found";
        }

        if (live.Kind() == "Pod")
        {
            return live["status"]?["phase"]?.GetValue<string>() switch
            {
                "Succeeded" => "",
                "Failed" => $"pod {live.Name()} failed",
                _ => null,
            };
        }

        foreach (var c in live["status"]?["conditions"] as JsonArray ?? [])
        {
            if (c?["status"]?.GetValue<string>() != "True")
            {
                continue;
            }

            switch (c["type"]?.GetValue<string>())
            {
                case "Complete":
                    return "";
                case "Failed":
                    return $"job {live.Name()} failed: {c["reason"]?.GetValue<string>()}";
            }
        }

        return null;
    }
}

/// <summary>A hook failed; <see cref="HelmActionException.Release"/> holds the hooks' last runs.</summary>
public sealed class HookFailedException(string message, ReleaseHook hook, Release release) : HelmActionException(message, release)
{
    public ReleaseHook Hook { get; } = hook;
}
