using System.Globalization;
using System.Text.Json.Nodes;

namespace Weir.Cluster.Simulation;

/// <summary>
/// What the simulated kubelet reports for one pod at a given time, from its spec and from when the kubelet took it on
/// (<c>since</c>), with <c>delay</c> the simulator's ready delay:
/// <list type="bullet">
/// <item>Until containers start the pod is Pending: containers wait in <c>ContainerCreating</c> (<c>PodInitializing</c>
/// when it has init containers).</item>
/// <item>Containers start after the delay, or half of it for pods whose restartPolicy is Never or OnFailure, which run
/// to completion: their containers exit with code 0 once the delay has passed. Init containers complete as they start;
/// init containers with <c>restartPolicy: Always</c> (sidecars) keep running.</item>
/// <item>A container with a broken image (<see cref="BrokenImage"/>) waits in <c>ErrImagePull</c>, after one more
/// delay in <c>ImagePullBackOff</c>, and the pod stays Pending.</item>
/// <item>A container the exit convention (<see cref="ContainerExit"/>) gives a code exits with it once the delay has
/// passed. Whether it restarts follows the restart policy as the kubelet does: restarted containers wait in
/// <c>CrashLoopBackOff</c> with the last exit in <c>lastState</c> and a growing <c>restartCount</c>; the first six
/// restarts come one delay apart, later ones double up to 32 delays. A pod whose containers all ended is Succeeded,
/// or Failed if one exited non-zero.</item>
/// </list>
/// </summary>
internal sealed class SimulatedPod
{
    private static readonly TimeSpan MinimumStep = TimeSpan.FromMilliseconds(50);

    private readonly string _name;
    private readonly string _namespace;
    private readonly string _uid;
    private readonly DateTimeOffset _since;
    private readonly TimeSpan _delay;
    private readonly string _policy;
    private readonly List<Plan> _inits;
    private readonly List<Plan> _containers;
    private DateTimeOffset? _next;

    public SimulatedPod(JsonObject pod, DateTimeOffset since, TimeSpan delay)
    {
        _name = Json.Name(pod);
        _namespace = Json.Str(Json.At(pod, "metadata", "namespace"));
        _uid = Json.Uid(pod);
        _since = since;
        _delay = delay;
        _policy = Json.Str(Json.At(pod, "spec", "restartPolicy")) is { Length: > 0 } p ? p : "Always";
        _inits = Plans(pod, "initContainers");
        _containers = Plans(pod, "containers");
    }

    /// <summary>The one state of a container the kubelet reports (waiting, running or terminated) and what goes with it.</summary>
    public sealed record Run(
        Plan Container,
        string State,
        string Reason = "",
        string Message = "",
        int ExitCode = 0,
        int Restarts = 0,
        DateTimeOffset? StartedAt = null,
        DateTimeOffset? FinishedAt = null,
        bool Ready = false,
        bool Started = false,
        bool Pulled = false,
        Run? Last = null)
    {
        public bool CrashLooping => Reason == "CrashLoopBackOff";

        /// <summary>Running, or once ran (terminated, or waiting to be restarted).</summary>
        public bool HasRun => State != "waiting" || Last is not null;
    }

    /// <summary>One container of the spec and what the conventions say of it.</summary>
    public sealed record Plan(string Name, string Image, string List, bool Broken, int? Exit, bool Sidecar);

    /// <summary>The pod at one moment: phase, container runs, whether its sandbox (and IP) exists, and when it next changes.</summary>
    public sealed record Snapshot(string Phase, List<Run> Inits, List<Run> Containers, bool SandboxReady, DateTimeOffset? NextChange);

    /// <summary>Pods that run to completion (restartPolicy Never or OnFailure) start sooner: their containers run for half the delay.</summary>
    private bool Finite => _policy is "Never" or "OnFailure";

    private DateTimeOffset StartAt => _since + (Finite ? _delay / 2 : _delay);

    private DateTimeOffset ExitAt => _since + _delay;

    public Snapshot At(DateTimeOffset now)
    {
        _next = null;
        var inits = new List<Run>();
        var initialized = true;
        var initFailed = false;
        foreach (var plan in _inits)
        {
            if (!initialized)
            {
                inits.Add(new Run(plan, "waiting", "PodInitializing"));
                continue;
            }
            var run = RunOf(plan, init: true, now);
            inits.Add(run);
            if (!(run is { State: "terminated", ExitCode: 0 } || (plan.Sidecar && run.State == "running")))
            {
                initialized = false;
                initFailed = run.State == "terminated";
            }
        }
        var waitingReason = _inits.Count > 0 ? "PodInitializing" : "ContainerCreating";
        var containers = _containers.Select(c => initialized ? RunOf(c, init: false, now) : new Run(c, "waiting", waitingReason)).ToList();
        var phase = initFailed ? "Failed" : !initialized ? "Pending" : Phase(containers);
        if (phase is "Succeeded" or "Failed")
        {
            inits = [.. inits.Select(r => r is { Container.Sidecar: true, State: "running" } ? Ended(r, 0, ExitAt) : r)];
            _next = null;
        }
        return new Snapshot(phase, inits, containers, now >= StartAt, _next);
    }

    /// <summary>The kubelet's message for a container waiting to be restarted.</summary>
    public string BackOffMessage(string container, int restarts) =>
        $"back-off {GoDuration(TimeSpan.FromSeconds(Math.Min(300, 10 * Math.Pow(2, Math.Max(0, restarts - 1)))))} restarting failed container={container} pod={_name}_{_namespace}({_uid})";

    private string Phase(List<Run> containers)
    {
        if (containers.Any(r => r.State == "waiting" && !r.CrashLooping))
        {
            return "Pending";
        }
        if (containers.Any(r => r.State == "running" || r.CrashLooping))
        {
            return "Running";
        }
        return _policy == "Never" && containers.Any(r => r.ExitCode != 0) ? "Failed" : "Succeeded";
    }

    private Run RunOf(Plan c, bool init, DateTimeOffset now)
    {
        var start = StartAt;
        if (now < start)
        {
            Next(start);
            return new Run(c, "waiting", _inits.Count > 0 ? "PodInitializing" : "ContainerCreating");
        }
        if (c.Broken)
        {
            var pullError = BrokenImage.PullError(c.Image);
            if (now < start + _delay)
            {
                Next(start + _delay);
                return new Run(c, "waiting", "ErrImagePull", pullError);
            }
            return new Run(c, "waiting", "ImagePullBackOff", $"Back-off pulling image \"{c.Image}\": ErrImagePull: {pullError}");
        }
        var running = new Run(c, "running", StartedAt: start, Ready: true, Started: true, Pulled: true);
        if (c.Exit is not { } code || (init && c.Sidecar))
        {
            return running;
        }
        var exitAt = init ? start : (ExitAt > start ? ExitAt : start);
        if (now < exitAt)
        {
            Next(exitAt);
            return running;
        }
        var restarts = init ? _policy != "Never" && code != 0 : _policy switch
        {
            "Never" => false,
            "OnFailure" => code != 0,
            _ => true,
        };
        if (!restarts)
        {
            return Ended(running, code, exitAt) with { Ready = init && code == 0 };
        }
        var exits = 0;
        var at = exitAt;
        var lastExit = exitAt;
        while (at <= now)
        {
            exits++;
            lastExit = at;
            at += BackOff(exits);
        }
        Next(at);
        var last = Ended(running with { StartedAt = exits == 1 ? start : lastExit }, code, lastExit);
        return new Run(c, "waiting", "CrashLoopBackOff", BackOffMessage(c.Name, exits), code, exits, Pulled: true, Last: last);
    }

    private static Run Ended(Run run, int code, DateTimeOffset at) =>
        run with { State = "terminated", Reason = code == 0 ? "Completed" : "Error", ExitCode = code, FinishedAt = at, Ready = false, Started = false };

    /// <summary>The wait after the n-th exit: one delay for the first six, then doubling up to 32 delays.</summary>
    private TimeSpan BackOff(int exits)
    {
        var step = _delay > MinimumStep ? _delay : MinimumStep;
        return step * Math.Pow(2, Math.Clamp(exits - 6, 0, 5));
    }

    private void Next(DateTimeOffset at)
    {
        if (_next is null || at < _next)
        {
            _next = at;
        }
    }

    private List<Plan> Plans(JsonObject pod, string list) =>
        [.. ((Json.At(pod, "spec", list) as JsonArray)?.OfType<JsonObject>() ?? []).Select(c => new Plan(
            Json.Str(c["name"]),
            Json.Str(c["image"]),
            list,
            BrokenImage.IsBroken(Json.Str(c["image"])),
            ContainerExit.Code(c) ?? (Finite || list == "initContainers" ? 0 : null),
            list == "initContainers" && Json.Str(c["restartPolicy"]) == "Always"))];

    /// <summary>A duration as Go prints it (<c>10s</c>, <c>1m20s</c>, <c>5m0s</c>).</summary>
    private static string GoDuration(TimeSpan d) =>
        d.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalMinutes}m{d.Seconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalSeconds}s");
}
