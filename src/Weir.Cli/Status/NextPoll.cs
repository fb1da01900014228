using Weir.Core.Api.Source;
using Weir.Core.Conditions;
using Weir.Core.Time;

namespace Weir.Cli.Status;

/// <summary>
/// When a source polls next. Sources record no "last polled" time, so this counts whole intervals from the latest
/// moment the status proves a reconcile happened (artifact update, Ready transition, handled reconcile request).
/// </summary>
public static class NextPoll
{
    public static TimeSpan? In(OCIRepository source, DateTimeOffset now)
    {
        if (!FluxDuration.TryParse(source.Spec?.Interval, out var interval) || interval <= TimeSpan.Zero)
        {
            return null;
        }

        var anchors = new List<DateTimeOffset>();
        if (source.Status?.Artifact?.LastUpdateTime is { } updated)
        {
            anchors.Add(updated);
        }

        if (source.Status?.Conditions?.FirstOrDefault(c => c.Type == ConditionTypes.Ready) is { } ready)
        {
            anchors.Add(ready.LastTransitionTime);
        }

        if (DateTimeOffset.TryParse(source.Status?.LastHandledReconcileAt, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal, out var handled))
        {
            anchors.Add(handled);
        }

        if (anchors.Count == 0)
        {
            return null;
        }

        var last = anchors.Max();
        var elapsed = now - last;
        var periods = elapsed < TimeSpan.Zero ? 1 : (long)(elapsed / interval) + 1;
        return last + (interval * periods) - now;
    }

    /// <summary>Whole seconds, Go-duration style: <c>40s</c>, <c>9m12s</c>, <c>1h0m5s</c>.</summary>
    public static string Format(TimeSpan span)
    {
        var seconds = (long)Math.Ceiling(Math.Max(0, span.TotalSeconds));
        var (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
        return h > 0 ? $"{h}h{m}m{s}s" : m > 0 ? $"{m}m{s}s" : $"{s}s";
    }
}
