using System.Text.Json.Nodes;
using Weir.Cli.Flux;
using Weir.Cluster.Printing;
using Weir.Core.Objects;

namespace Weir.Cli.Ui;

/// <summary>
/// One object in the UI's lists, summarised as <c>weir get</c> does (<see cref="FluxStatus"/>) plus its age and
/// STATUS glyph: <c>●</c> ready, <c>⏸</c> suspended, <c>✗</c> not ready, <c>◎</c> reconciling.
/// </summary>
public sealed record FluxRow(FluxKind Kind, JsonObject Object, FluxStatus Status, DateTimeOffset? Created)
{
    public static readonly string[] Columns = ["STATUS", "NAMESPACE", "NAME", "TYPE", "SUSPENDED", "READY", "AGE", "MESSAGE", "REVISION"];

    public static FluxRow From(FluxKind kind, JsonObject obj)
    {
        var created = DateTimeOffset.TryParse(FluxKind.Str(obj["metadata"]?["creationTimestamp"]), System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null;
        return new FluxRow(kind, obj, FluxStatus.From(kind, obj), created);
    }

    public ObjectKey Key => new(Status.Namespace, Status.Name);

    /// <summary>0 healthy, 1 suspended, 2 in progress, 3 failed: what "problems first" sorts by.</summary>
    public int Severity => Status.Suspended ? 1 : Status.Ready switch
    {
        "True" => 0,
        "False" => 3,
        _ => 2,
    };

    public (string Glyph, Tone Tone) Glyph => Severity switch
    {
        0 => ("●", Tone.Ok),
        1 => ("⏸", Tone.Warn),
        2 => ("◎", Tone.Warn),
        _ => ("✗", Tone.Bad),
    };

    public string[] Cells(DateTimeOffset now) =>
    [
        Glyph.Glyph,
        Status.Namespace,
        Status.Name,
        Kind.Kind,
        Status.Suspended ? "True" : "False",
        Status.Ready,
        Created is { } at ? HumanAge.Since(at, now) : "-",
        FluxStatus.TruncateHex(Status.Message),
        Kind == FluxKind.HelmChart ? Status.Revision : FluxStatus.TruncateHex(Status.Revision),
    ];
}
