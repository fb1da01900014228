using Weir.Templates.Values;

namespace Weir.Helm.Rendering;

/// <summary>What <c>.Release</c> tells a chart: the release's name and namespace, and which action renders it.</summary>
public sealed record ReleaseOptions(string Name, string Namespace)
{
    public int Revision { get; init; } = 1;

    public bool IsInstall { get; init; } = true;

    public bool IsUpgrade { get; init; }

    public Value ToValue()
    {
        var m = new GoMap(6);
        m.Set("Name", Value.String(Name));
        m.Set("Namespace", Value.String(Namespace));
        m.Set("IsUpgrade", Value.Bool(IsUpgrade));
        m.Set("IsInstall", Value.Bool(IsInstall));
        m.Set("Revision", Value.Int(Revision));
        m.Set("Service", Value.String("Helm"));
        return Value.Map(m);
    }
}
