namespace Weir.Helm.Actions;

public enum HelmLogLevel
{
    Debug,
    Warn,
    Error,
}

/// <summary>
/// One line Helm logs while it acts: a level, a message such as <c>creating resource(s)</c>, and its attributes
/// (counts, names, timeouts — never values, manifests or Secret data).
/// </summary>
public sealed record HelmLogRecord(HelmLogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object>> Attributes);

/// <summary>Where an action's log lines go: the sink given in the action's options, or nowhere.</summary>
internal readonly struct HelmLog(Action<HelmLogRecord>? sink)
{
    public void Debug(string message, params (string Key, object Value)[] attributes) => Write(HelmLogLevel.Debug, message, attributes);

    public void Warn(string message, params (string Key, object Value)[] attributes) => Write(HelmLogLevel.Warn, message, attributes);

    public void Error(string message, params (string Key, object Value)[] attributes) => Write(HelmLogLevel.Error, message, attributes);

    private void Write(HelmLogLevel level, string message, (string Key, object Value)[] attributes) =>
        sink?.Invoke(new HelmLogRecord(level, message, [.. attributes.Select(a => KeyValuePair.Create(a.Key, a.Value))]));
}
