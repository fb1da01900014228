using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Runtime.Kube;

namespace Weir.Cli.Tests.Verbs;

/// <summary>
/// Plays the controller's side of the reconcile protocol for kinds whose reconciler is not in this branch: when
/// the requestedAt annotation or the generation changes on an object that is not suspended, it writes the
/// outcome's status and copies the annotation into <c>status.lastHandledReconcileAt</c>, as Flux controllers do.
/// </summary>
public sealed class ControllerStandIn : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ControllerStandIn(FluxObjects flux, KubeResource resource, ObjectKey key, Func<JsonObject> outcome)
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var obj = await flux.Client.GetAsync(resource, key);
                if (obj is not null && obj["spec"]?["suspend"]?.GetValue<bool>() != true)
                {
                    var requested = obj.Annotation("reconcile.fluxcd.io/requestedAt");
                    var handled = obj["status"]?["lastHandledReconcileAt"]?.GetValue<string>();
                    var observed = obj["status"]?["observedGeneration"]?.GetValue<long>();
                    if ((requested is not null && requested != handled) || observed != obj.Generation())
                    {
                        var status = outcome();
                        if (requested is not null)
                        {
                            status["lastHandledReconcileAt"] = requested;
                        }

                        await flux.StatusAsync(resource, key.Namespace, key.Name, status);
                    }
                }

                try
                {
                    await Task.Delay(100, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
