namespace Weir.Core.Yaml;

/// <summary>Whose reading of YAML <see cref="KubeYaml"/> reproduces.</summary>
public enum YamlDialect
{
    /// <summary>
    /// sigs.k8s.io/yaml (go-yaml v2, YAML 1.1), as the API server, kubectl and Helm read YAML: <c>y</c>, <c>yes</c>,
    /// <c>on</c>, … are booleans, timestamps stay strings, non-string mapping keys become strings.
    /// </summary>
    SigsYaml,

    /// <summary>
    /// kustomize's kyaml (go-yaml v3 nodes, turned into JSON): only <c>true</c>/<c>false</c> spellings are booleans,
    /// timestamps become RFC 3339 times, a mapping key that is not a string is an error, and folded scalars read as
    /// go-yaml v3 re-reads what it writes.
    /// </summary>
    Kyaml,
}
