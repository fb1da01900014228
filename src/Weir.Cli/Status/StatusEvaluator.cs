using Weir.Core.Api.Source;
using Weir.Core.Conditions;
using Weir.Core.Versioning;
using Weir.Oci.Versioning;

namespace Weir.Cli.Status;

/// <summary>
/// Answers "is version V of my app live?" from the fetched objects: walks registry → source → each
/// Kustomization/HelmRelease → workloads, judges every link, and makes the worst link the verdict.
/// </summary>
public static class StatusEvaluator
{
    public static StatusReport Evaluate(AppStatusInput input)
    {
        var source = input.Source;
        var selected = TagOf(source.Status?.Artifact?.Revision);
        var version = input.RequestedVersion ?? NewestTag(input.Registry.Tags) ?? PinnedTag(source) ?? selected;
        var consumers = input.Consumers.Count == 0 ? "" : string.Join(", ", input.Consumers.Select(c => c.Name));

        var chain = new List<StatusStep>
        {
            RegistryStep(source, input.Registry, version),
            SourceStep(source, version, selected, consumers.Length > 0 ? consumers : source.Metadata?.Name ?? "", input.Now),
        };
        if (input.Consumers.Count == 0)
        {
            chain.Add(new StatusStep("consumers", StepState.Blocked, $"no Kustomization or HelmRelease uses OCIRepository {source.Metadata?.Name}"));
        }

        foreach (var consumer in input.Consumers)
        {
            chain.AddRange(ConsumerSteps(consumer, version, selected == version));
        }

        var worst = chain.MaxBy(s => s.State)!;
        var verdict = worst.State switch
        {
            StepState.Failed => Verdict.Failed,
            StepState.Blocked => Verdict.Blocked,
            StepState.Pending => Verdict.Pending,
            _ => Verdict.Live,
        };
        var summary = verdict == Verdict.Live ? "live" : $"{verdict.ToString().ToLowerInvariant()}: {worst.Detail}";
        return new StatusReport(verdict, summary, version, chain);
    }

    private static StatusStep RegistryStep(OCIRepository source, RegistryTags registry, string? version)
    {
        var subject = $"registry {source.Spec?.Url}";
        if (registry.Tags is null)
        {
            return new StatusStep(subject, StepState.Unknown, $"cannot list tags: {registry.Error}");
        }

        if (version is null)
        {
            return new StatusStep(subject, StepState.Blocked, "the registry holds no version tag");
        }

        return registry.Tags.Contains(version)
            ? new StatusStep(subject, StepState.Ok, $"holds {version}")
            : new StatusStep(subject, StepState.Blocked, $"the registry has no tag {version}");
    }

    private static StatusStep SourceStep(OCIRepository source, string? version, string? selected, string consumers, DateTimeOffset now)
    {
        var subject = $"OCIRepository {source.Metadata?.Namespace}/{source.Metadata?.Name}";
        var reference = source.Spec?.Ref;
        var ready = Find(source.Status?.Conditions, ConditionTypes.Ready);
        if (source.Spec?.Suspend == true)
        {
            return new StatusStep(subject, StepState.Blocked, $"{source.Metadata?.Name} is suspended");
        }

        if (ready?.Status == ConditionStatus.False)
        {
            return new StatusStep(subject, StepState.Failed, ready.Message);
        }

        if (reference?.Digest is { Length: > 0 } digest)
        {
            return selected == version && version is not null
                ? new StatusStep(subject, StepState.Ok, $"selected {source.Status?.Artifact?.Revision}")
                : new StatusStep(subject, StepState.Blocked, $"{consumers} is pinned to {digest}");
        }

        if (reference?.Semver is not { Length: > 0 } range)
        {
            var tag = reference?.Tag is { Length: > 0 } t ? t : "latest";
            if (tag != version)
            {
                return new StatusStep(subject, StepState.Blocked, $"{consumers} is pinned to {tag}");
            }
        }
        else if (version is not null && !InRange(version, range, reference.SemverFilter))
        {
            return new StatusStep(subject, StepState.Blocked, $"{version} is outside {source.Metadata?.Name}'s semver range {range}");
        }

        if (selected is not null && selected == version)
        {
            return new StatusStep(subject, StepState.Ok, $"selected {source.Status?.Artifact?.Revision}");
        }

        var was = selected is null ? "has no artifact yet" : $"still has {selected}";
        if (ready is null || ready.Status == ConditionStatus.Unknown || Find(source.Status?.Conditions, ConditionTypes.Reconciling)?.Status == ConditionStatus.True)
        {
            return new StatusStep(subject, StepState.Pending, $"{source.Metadata?.Name} is fetching ({was})");
        }

        return NextPoll.In(source, now) is { } wait
            ? new StatusStep(subject, StepState.Pending, $"next poll in {NextPoll.Format(wait)} ({source.Metadata?.Name} {was}; interval {source.Spec?.Interval})")
            : new StatusStep(subject, StepState.Pending, $"{source.Metadata?.Name} {was}");
    }

    private static IEnumerable<StatusStep> ConsumerSteps(ConsumerState consumer, string? version, bool sourceHasVersion)
    {
        var subject = $"{consumer.Kind} {consumer.Namespace}/{consumer.Name}";
        var ready = Find(consumer.Conditions, ConditionTypes.Ready);
        var applied = TagOf(consumer.LastAppliedRevision);
        if (consumer.Suspended)
        {
            yield return new StatusStep(subject, StepState.Blocked, $"{consumer.Name} is suspended");
            yield break;
        }

        if (ready?.Status == ConditionStatus.False)
        {
            var state = ready.Reason == ConditionReasons.DependencyNotReady ? StepState.Blocked : StepState.Failed;
            yield return new StatusStep(subject, state, ready.Message);
            yield break;
        }

        if (ready?.Status == ConditionStatus.Unknown && consumer.LastFailure is { } failure)
        {
            yield return new StatusStep(subject, StepState.Failed, $"{consumer.Name} is retrying: {failure}");
            yield break;
        }

        if (ready is null || ready.Status == ConditionStatus.Unknown)
        {
            yield return new StatusStep(subject, StepState.Pending, $"{consumer.Name}: {ready?.Message ?? "not reconciled yet"}");
            yield break;
        }

        if (applied != version || version is null)
        {
            yield return sourceHasVersion
                ? new StatusStep(subject, StepState.Pending, $"{consumer.Name} has not applied {version} yet (applied {applied ?? "nothing"})")
                : new StatusStep(subject, StepState.Pending, $"applied {consumer.LastAppliedRevision ?? "nothing"}; waits for the source");
            yield break;
        }

        yield return new StatusStep(subject, StepState.Ok, $"applied {consumer.LastAppliedRevision}");
        foreach (var workload in consumer.Workloads)
        {
            yield return workload.Health switch
            {
                WorkloadHealth.Current => new StatusStep(workload.Id, StepState.Ok, workload.Message),
                WorkloadHealth.Failed => new StatusStep(workload.Id, StepState.Failed, $"{workload.Id}: {workload.Message}"),
                WorkloadHealth.NotFound => new StatusStep(workload.Id, StepState.Failed, $"{workload.Id} not found"),
                _ => new StatusStep(workload.Id, StepState.Pending, $"{workload.Id} is rolling out: {workload.Message}"),
            };
        }
    }

    /// <summary>The tag of an OCI revision <c>v1.2.0@sha256:…</c>; null for digest-only revisions.</summary>
    public static string? TagOf(string? revision)
    {
        if (string.IsNullOrEmpty(revision))
        {
            return null;
        }

        var at = revision.IndexOf('@');
        var tag = at < 0 ? revision : revision[..at];
        return tag.StartsWith("sha256:", StringComparison.Ordinal) ? null : tag;
    }

    /// <summary>The highest semver tag; null when none is a version.</summary>
    public static string? NewestTag(IReadOnlyList<string>? tags) =>
        tags?.Select(t => (Tag: t, Version: LooseVersion.ParseOrNull(t)))
            .Where(t => t.Version is not null)
            .OrderByDescending(t => t.Version!, Comparer<Semver.SemVersion>.Create(LooseVersion.Compare))
            .Select(t => t.Tag)
            .FirstOrDefault();

    private static string? PinnedTag(OCIRepository source) =>
        source.Spec?.Ref is { Semver: null or "", Digest: null or "" } r ? (r.Tag is { Length: > 0 } t ? t : "latest") : null;

    private static bool InRange(string version, string range, string? filter)
    {
        try
        {
            SemverTagSelector.Select([version], range, filter);
            return true;
        }
        catch (SemverSelectionException)
        {
            return false;
        }
    }

    private static Condition? Find(IReadOnlyList<Condition>? conditions, string type) => conditions?.FirstOrDefault(c => c.Type == type);
}
