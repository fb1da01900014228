namespace Weir.Core.Yaml;

/// <summary>Knobs for <see cref="KubeYaml"/>. The defaults reproduce sigs.k8s.io/yaml.</summary>
public sealed record YamlOptions
{
    public static YamlOptions Default { get; } = new();

    /// <summary>
    /// When true, a mapping that repeats a key is an error (as kustomize's kyaml reports it).
    /// When false (sigs.k8s.io/yaml's behaviour), the last value wins.
    /// </summary>
    public bool RejectDuplicateKeys { get; init; }

    /// <summary>When true, <see cref="KubeYaml.Serialize(System.Text.Json.Nodes.JsonNode?, YamlOptions?)"/> orders mapping keys as Go's YAML encoder does; otherwise insertion order is kept.</summary>
    public bool SortKeys { get; init; }

    /// <summary>How scalars and keys are read; sigs.k8s.io/yaml's rules unless set.</summary>
    public YamlDialect Dialect { get; init; }
}
