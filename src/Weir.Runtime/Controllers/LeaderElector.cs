using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Core.Time;
using Weir.Runtime.Kube;

namespace Weir.Runtime.Controllers;

/// <summary>Timing of leader election, with client-go's defaults (15s lease, 10s renew deadline, 2s retry).</summary>
public sealed record LeaderElectionOptions
{
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);
}

/// <summary>
/// Leader election on a <c>coordination.k8s.io/v1</c> Lease, as client-go does it: a candidate takes the lease
/// when it is free or its holder has not renewed it within the lease duration, renews it every retry period, and
/// stops leading when it cannot renew within the renew deadline. Writes are PUTs guarded by resourceVersion, so
/// two candidates can never both win.
/// </summary>
public sealed class LeaderElector(ResourceClient client, ObjectKey lease, string identity, LeaderElectionOptions? options = null, TimeProvider? clock = null)
{
    private readonly LeaderElectionOptions _options = options ?? new LeaderElectionOptions();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public string Identity { get; } = identity;

    /// <summary>
    /// Waits to become leader, then runs <paramref name="lead"/> with a token that is cancelled when leadership is
    /// lost. Returns when <paramref name="cancellationToken"/> is cancelled or leadership is lost.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> lead, CancellationToken cancellationToken)
    {
        while (!await TryAcquireOrRenewAsync(cancellationToken))
        {
            await Task.Delay(_options.RetryPeriod, _clock, cancellationToken);
        }

        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var work = Task.Run(() => lead(leading.Token), CancellationToken.None);
        var lastRenew = _clock.GetUtcNow();
        try
        {
            while (!leading.IsCancellationRequested && !work.IsCompleted)
            {
                await Task.WhenAny(work, Task.Delay(_options.RetryPeriod, _clock, leading.Token));
                if (work.IsCompleted || leading.IsCancellationRequested)
                {
                    break;
                }

                if (await TryAcquireOrRenewAsync(leading.Token))
                {
                    lastRenew = _clock.GetUtcNow();
                }
                else if (_clock.GetUtcNow() - lastRenew > _options.RenewDeadline)
                {
                    break; // lost the lease
                }
            }
        }
        catch (OperationCanceledException) when (leading.IsCancellationRequested)
        {
        }
        finally
        {
            await leading.CancelAsync();
            try
            {
                await work;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>One attempt: true when this candidate holds the lease afterwards.</summary>
    public async Task<bool> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow();
        try
        {
            var current = await client.GetAsync(KubeResource.Lease, lease, cancellationToken);
            if (current is null)
            {
                await client.CreateAsync(KubeResource.Lease, NewLease(now, transitions: 0), cancellationToken);
                return true;
            }

            var spec = current["spec"] as JsonObject ?? [];
            var holder = spec["holderIdentity"]?.GetValue<string>() ?? "";
            var renewed = spec["renewTime"]?.GetValue<string>() is { } t ? KubeTime.Parse(t) : DateTimeOffset.MinValue;
            var duration = TimeSpan.FromSeconds(spec["leaseDurationSeconds"]?.GetValue<int>() ?? 0);
            var transitions = spec["leaseTransitions"]?.GetValue<int>() ?? 0;
            if (holder.Length > 0 && holder != Identity && renewed + duration > now)
            {
                return false;
            }

            var next = NewLease(now, holder == Identity ? transitions : transitions + 1);
            if (holder == Identity && spec["acquireTime"] is JsonNode acquired)
            {
                next["spec"]!["acquireTime"] = acquired.DeepClone();
            }

            next.EnsureMetadata()["resourceVersion"] = current.ResourceVersion();
            await client.ReplaceAsync(KubeResource.Lease, next, cancellationToken);
            return true;
        }
        catch (KubeApiException e) when (e.IsConflict || e.StatusCode == System.Net.HttpStatusCode.UnprocessableEntity
                                         || e.Reason == "AlreadyExists")
        {
            return false; // another candidate wrote first
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException)
        {
            return false;
        }
    }

    private JsonObject NewLease(DateTimeOffset now, int transitions) => new()
    {
        ["apiVersion"] = KubeResource.Lease.ApiVersion,
        ["kind"] = "Lease",
        ["metadata"] = new JsonObject { ["name"] = lease.Name, ["namespace"] = lease.Namespace },
        ["spec"] = new JsonObject
        {
            ["holderIdentity"] = Identity,
            ["leaseDurationSeconds"] = (int)Math.Ceiling(_options.LeaseDuration.TotalSeconds),
            ["acquireTime"] = KubeTime.FormatMicro(now),
            ["renewTime"] = KubeTime.FormatMicro(now),
            ["leaseTransitions"] = transitions,
        },
    };
}
