using Weir.Cli.Flux;
using Weir.Cli.Status;
using Weir.Core.Objects;
using Weir.Runtime.Kube;

namespace Weir.Cli.Ui;

/// <summary>
/// The live verdict panel: <c>weir status</c>'s answer (<see cref="AppStatusQuery"/>) for every app (an OCIRepository
/// that a Kustomization or HelmRelease applies; the first 20), asked again whenever a watched object changes — at most one question at a time, and once more
/// when changes arrived while it ran.
/// </summary>
public sealed class AppVerdicts(ResourceClient client, FluxWatch watch)
{
    private const int MaxApps = 20;
    private readonly Lock _gate = new();
    private Dictionary<ObjectKey, AppStatusAnswer> _answers = [];
    private bool _running;
    private bool _again;

    /// <summary>Raised (on a background thread) when an answer changed.</summary>
    public event Action? Changed;

    public IReadOnlyList<(ObjectKey App, AppStatusAnswer Answer)> Answers(DateTimeOffset now)
    {
        lock (_gate)
        {
            return [.. _answers.OrderBy(a => a.Key.Namespace, StringComparer.Ordinal).ThenBy(a => a.Key.Name, StringComparer.Ordinal)
                .Select(a => (a.Key, a.Value.At(now)))];
        }
    }

    /// <summary>Asks again soon; called on every watch change.</summary>
    public void Refresh()
    {
        lock (_gate)
        {
            if (_running)
            {
                _again = true;
                return;
            }

            _running = true;
        }

        _ = Task.Run(AskLoopAsync);
    }

    private async Task AskLoopAsync()
    {
        while (true)
        {
            // The apps are the OCIRepositories some Kustomization or HelmRelease applies (a few, even among thousands of sources).
            var apps = watch.Rows().Where(r => r.Kind.Role == Weir.Core.Api.Crds.KindRole.Applier)
                .Select(r => SourceReference.Of(r.Object))
                .Where(s => s?.Kind == FluxKind.OCIRepository)
                .Select(s => s!.Value.Key)
                .Distinct()
                .Take(MaxApps)
                .ToList();
            var answers = new Dictionary<ObjectKey, AppStatusAnswer>();
            foreach (var app in apps)
            {
                try
                {
                    answers[app] = await new AppStatusQuery(client).AskAsync(app.Namespace, app.Name, null, CancellationToken.None);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    answers[app] = new AppStatusAnswer(null, e.Message);
                }
            }

            lock (_gate)
            {
                _answers = answers;
                if (!_again)
                {
                    _running = false;
                    break;
                }

                _again = false;
            }

            Changed?.Invoke();
        }

        Changed?.Invoke();
    }
}
