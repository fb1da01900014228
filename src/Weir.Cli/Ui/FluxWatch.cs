using System.Collections.Concurrent;
using System.Net;
using Weir.Cli.Flux;
using Weir.Core.Objects;
using Weir.Runtime.Controllers;
using Weir.Runtime.Kube;

namespace Weir.Cli.Ui;

/// <summary>
/// The UI's live copy of the cluster: one runtime <see cref="Informer"/> per Flux kind of the registry (list, then
/// watch; no polling), scoped to one namespace or all. Remembers per kind whether the user may list it (a 403 is a
/// <see cref="KindWatch.Forbidden"/> notice, not an empty list) and whether its watch is failing (the degraded banner).
/// </summary>
public sealed class FluxWatch : IAsyncDisposable
{
    private readonly ResourceClient _client;
    private readonly List<KindWatch> _kinds = [];
    private readonly ConcurrentDictionary<(FluxKind Kind, ObjectKey Key), FluxRow> _rows = new();
    private CancellationTokenSource _stop = new();
    private List<Task> _running = [];

    public FluxWatch(ResourceClient client, string? ns)
    {
        _client = client;
        Namespace = ns;
    }

    /// <summary>Raised (on a background thread) after any object, access or health change.</summary>
    public event Action? Changed;

    /// <summary>The watched namespace; null for all namespaces.</summary>
    public string? Namespace { get; private set; }

    public IReadOnlyList<KindWatch> Kinds => _kinds;

    /// <summary>Kinds whose watch is failing for another reason than access (server gone, stream dropped).</summary>
    public IEnumerable<KindWatch> Degraded => _kinds.Where(k => k.Error is not null && !k.Forbidden);

    public void Start()
    {
        _kinds.Clear();
        foreach (var kind in FluxKind.All)
        {
            var watch = new KindWatch(kind, new Informer(_client, kind.Resource, Namespace));
            watch.Informer.OnChange(change =>
            {
                if (change.New is { } obj)
                {
                    _rows[(kind, change.Key)] = FluxRow.From(kind, obj);
                }
                else
                {
                    _rows.TryRemove((kind, change.Key), out _);
                }

                Changed?.Invoke();
            });
            watch.Informer.OnError(e =>
            {
                watch.Error = e;
                watch.Forbidden = e is KubeApiException { StatusCode: HttpStatusCode.Forbidden };
                watch.Missing = e is KubeApiException { IsNotFound: true };
                Changed?.Invoke();
            });
            _kinds.Add(watch);
        }

        _running = [.. _kinds.Select(k => Task.Run(() => k.Informer.RunAsync(_stop.Token)))];
    }

    /// <summary>Watches another namespace (null: all) from scratch.</summary>
    public async Task RescopeAsync(string? ns)
    {
        await StopAsync();
        _rows.Clear();
        Namespace = ns;
        _stop = new CancellationTokenSource();
        Start();
        Changed?.Invoke();
    }

    /// <summary>Every cached object of the given kinds (all kinds when null).</summary>
    public List<FluxRow> Rows(FluxKind? only = null) => [.. _rows.Values.Where(r => only is null || r.Kind == only)];

    /// <summary>The row of one object as the watch last saw it; null when gone.</summary>
    public FluxRow? Row(FluxKind kind, ObjectKey key) => _rows.TryGetValue((kind, key), out var row) ? row : null;

    private async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_running);
        _stop.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}

/// <summary>One kind's informer and what the UI must say about it.</summary>
public sealed class KindWatch(FluxKind kind, Informer informer)
{
    public FluxKind Kind { get; } = kind;

    public Informer Informer { get; } = informer;

    /// <summary>The last list/watch failure; null while the watch is healthy.</summary>
    public Exception? Error { get; set; }

    public bool Forbidden { get; set; }

    /// <summary>The kind's CRD is not installed: its list stays empty without a notice.</summary>
    public bool Missing { get; set; }

    public bool Synced => Informer.Synced.IsCompleted;

    /// <summary>flux9s' RBAC notice: <c>Forbidden: your RBAC cannot list HelmReleases in flux-system</c>.</summary>
    public string ForbiddenNotice(string? ns) => $"Forbidden: your RBAC cannot list {Plural(Kind.Kind)} {(ns is null ? "in any namespace" : $"in {ns}")}";

    public static string Plural(string kind) => kind.EndsWith('y') ? kind[..^1] + "ies" : kind + "s";
}
