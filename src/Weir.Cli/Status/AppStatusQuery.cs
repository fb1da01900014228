using Weir.Runtime.Kube;

namespace Weir.Cli.Status;

/// <summary>
/// "Is version V of this app live?" as one call for every front end (<c>weir status</c>, <c>weir ui</c>): collects
/// with <see cref="StatusCollector"/>, judges with <see cref="StatusEvaluator"/>, and reports a missing app or an API
/// error as a <see cref="AppStatusAnswer.Problem"/> instead of throwing, so a caller decides how to show it.
/// </summary>
public sealed class AppStatusQuery(ResourceClient client)
{
    public async Task<AppStatusAnswer> AskAsync(string ns, string app, string? version, CancellationToken cancellationToken)
    {
        AppStatusInput? input;
        try
        {
            input = await new StatusCollector(client).CollectAsync(ns, app, version, cancellationToken);
        }
        catch (KubeApiException e)
        {
            return new AppStatusAnswer(null, $"Error from server ({e.Reason}): {e.Message}");
        }

        return input is null
            ? new AppStatusAnswer(null, $"OCIRepository {ns}/{app} not found")
            : new AppStatusAnswer(StatusEvaluator.Evaluate(input), null, input);
    }
}

/// <summary>
/// The verdict, or why there is none (exactly one of the two is set); <see cref="Input"/> is what was judged, so a
/// live view can judge it again as time passes (the next-poll countdown) without fetching anything.
/// </summary>
public sealed record AppStatusAnswer(StatusReport? Report, string? Problem, AppStatusInput? Input = null)
{
    public AppStatusAnswer At(DateTimeOffset now) => Input is null ? this : this with { Report = StatusEvaluator.Evaluate(Input with { Now = now }) };
}
