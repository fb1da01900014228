namespace Weir.Core.Yaml;

/// <summary>
/// A YAML document could not be read or written. Messages follow the wording of the Go YAML
/// libraries Kubernetes tools use (for example <c>yaml: line 3: mapping values are not allowed in this context</c>).
/// </summary>
public sealed class YamlException : Exception
{
    public YamlException(string message, int? line = null, int? column = null, Exception? inner = null)
        : base(message, inner)
    {
        Line = line;
        Column = column;
    }

    /// <summary>1-based line of the problem, when known.</summary>
    public int? Line { get; }

    /// <summary>1-based column of the problem, when known.</summary>
    public int? Column { get; }

    internal static YamlException At(YamlSourceNode node, string message) =>
        new($"yaml: line {node.Line}: {message}", node.Line, node.Column);
}
