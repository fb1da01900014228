namespace Weir.Core.Yaml;

internal enum YamlNodeKind
{
    Scalar,
    Mapping,
    Sequence,
    Alias,
}

/// <summary>One node of a parsed YAML document before scalar resolution (the representation graph).</summary>
internal sealed class YamlSourceNode(YamlNodeKind kind, int line, int column)
{
    public YamlNodeKind Kind { get; } = kind;
    public int Line { get; } = line;
    public int Column { get; } = column;

    /// <summary>Resolved tag (long form such as <c>tag:yaml.org,2002:str</c>), or empty when none was written.</summary>
    public string Tag { get; init; } = "";

    public string Value { get; init; } = "";

    /// <summary>Plain and untagged (or tagged with the non-specific <c>!</c>): subject to implicit resolution.</summary>
    public bool Implicit { get; init; }

    /// <summary>Written as a folded block scalar (<c>&gt;</c>).</summary>
    public bool Folded { get; init; }

    /// <summary>Anchor name for aliases.</summary>
    public string AnchorName { get; init; } = "";

    /// <summary>The anchored node an alias points to.</summary>
    public YamlSourceNode? Target { get; init; }

    /// <summary>Sequence items, or mapping keys and values alternating.</summary>
    public List<YamlSourceNode> Children => children ??= [];

    private List<YamlSourceNode>? children;
}
