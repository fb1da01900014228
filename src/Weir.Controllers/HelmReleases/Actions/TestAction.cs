using Weir.Core.Conditions;
using Weir.Helm.Actions;
using Weir.Runtime.Controllers;

namespace Weir.Controllers.HelmReleases.Actions;

/// <summary>
/// Helm test of the latest release: the test hooks' runs recorded on its snapshot, then <c>TestSuccess</c> True
/// (<c>TestSucceeded</c>) or False (<c>TestFailed</c>). A failure counts against the active remediation unless test
/// failures are ignored. <c>test.filters</c> pick the hooks by name (only the named ones, or all but the excluded).
/// </summary>
public sealed class TestAction : IReleaseAction
{
    public string Name => "test";

    public ActionKind Kind => ActionKind.Test;

    public TimeSpan Timeout(HelmReleaseRun run) => ActionTimeouts.Of(run.Spec.Test?.Timeout, run);

    public async Task RunAsync(ReleaseContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var current = run.History.Latest ?? throw new ReleaseActionException("no release to test: the history is empty");
        var name = ReleaseHistory.FullReleaseName(current);
        var chart = ReleaseHistory.VersionedChartName(current);
        var options = new TestOptions(run.ReleaseName, run.ReleaseNamespace)
        {
            StorageNamespace = run.StorageNamespace,
            Timeout = Timeout(run),
            Filter = TestFilters.For(run.Spec.Test),
        };
        try
        {
            var result = await context.Helm.TestAsync(options, cancellationToken);
            context.Observe(result.Release);
            run.History.SetTestHooks(result.Release);
            var hooks = result.Release.Hooks.Count(h => h.Events.Contains("test"));
            await ReleaseOutcome.SucceededAsync(run, ConditionTypes.TestSuccess, ReleaseMessages.TestSucceeded,
                ReleaseMessages.TestSuccess(name, chart, hooks), cancellationToken);
        }
        catch (ReleaseTestFailedException e)
        {
            context.Observe(e.Release);
            run.History.SetTestHooks(e.Release!);
            var message = ReleaseMessages.TestFailure(name, chart, e.Message.Trim());
            run.Increment("failures");
            run.Conditions.MarkFalse(ConditionTypes.TestSuccess, ReleaseMessages.TestFailed, message);
            if (Remediation.Active(run) is { IgnoreTestFailures: false } remediation)
            {
                remediation.IncrementFailureCount(run);
            }

            await run.EventAsync(EventRecorder.Warning, message, cancellationToken, ReleaseMessages.TestFailed);
        }
        catch (HelmActionException e)
        {
            var message = ReleaseMessages.TestFailure(name, chart, e.Message.Trim());
            run.Conditions.MarkFalse(ConditionTypes.TestSuccess, ReleaseMessages.TestFailed, message);
            throw new ReleaseActionException(message, e);
        }
    }
}

/// <summary>Flux's <c>test.filters</c>: with any non-excluded name only those run; excluded names never run.</summary>
internal static class TestFilters
{
    public static Func<string, bool>? For(Core.Api.Helm.ReleaseTest? test)
    {
        var filters = test?.Filters ?? [];
        if (filters.Count == 0)
        {
            return null;
        }

        var included = filters.Where(f => f.Exclude != true).Select(f => f.Name).ToHashSet();
        var excluded = filters.Where(f => f.Exclude == true).Select(f => f.Name).ToHashSet();
        return hook => !excluded.Contains(hook) && (included.Count == 0 || included.Contains(hook));
    }
}
