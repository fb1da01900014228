namespace Weir.Core.Yaml;

/// <summary>Knobs for <see cref="KubeYaml"/>. The defaults reproduce sigs.k8s.io/yaml.</summary>
public sealed record YamlOptions
{
    public static YamlOptions Default { get; } = new();

    /// <summary>
    /// The default <see cref="MaxDocumentBytes"/>: 8 MiB, well above the 3 MiB request body a Kubernetes API server
    /// accepts (a larger document could never be applied), with room for YAML's indentation and for <c>List</c>s.
    /// </summary>
    public const long DefaultMaxDocumentBytes = 8L * 1024 * 1024;

    /// <summary>
    /// When true, a mapping that repeats a key is an error (as kustomize's kyaml reports it).
    /// When false (sigs.k8s.io/yaml's behaviour), the last value wins.
    /// </summary>
    public bool RejectDuplicateKeys { get; init; }

    /// <summary>When true, <see cref="KubeYaml.Serialize(System.Text.Json.Nodes.JsonNode?, YamlOptions?)"/> orders mapping keys as Go's YAML encoder does; otherwise insertion order is kept.</summary>
    public bool SortKeys { get; init; }

    /// <summary>Largest document (UTF-8 bytes) read; a stream holding a larger one is refused before it is parsed.</summary>
    public long MaxDocumentBytes { get; init; } = DefaultMaxDocumentBytes;

    /// <summary>How scalars and keys are read; sigs.k8s.io/yaml's rules unless set.</summary>
    public YamlDialect Dialect { get; init; }

    /// <summary>
    /// When true, <see cref="KubeYaml.Serialize(System.Text.Json.Nodes.JsonNode?, YamlOptions?)"/> writes as
    /// gopkg.in/yaml.v3's encoder with a 2-space indent (Helm's toYamlPretty) instead of sigs.k8s.io/yaml: sequences
    /// indented under their key, long lines not folded, and floats (boxed doubles, or JSON numbers that are no integer
    /// literal) in Go's %g form (<c>1e+06</c>, <c>-0</c>) rather than through JSON's integer form.
    /// </summary>
    public bool GoYamlV3 { get; init; }
}
