using System.Text;

namespace Weir.Kustomize.Model;

/// <summary>
/// Where a resource or a transformation came from, for <c>buildMetadata</c>: a file path, or the kustomization
/// (or config file) and the built-in plugin that generated or transformed it.
/// </summary>
public sealed record BuildOrigin(string? Path, string? ConfiguredIn = null, string? ByKind = null, string? ByName = null, string? ByNamespace = null,
    string ByApiVersion = "builtin")
{
    public static BuildOrigin FromFile(string path) => new(path);

    public static BuildOrigin Plugin(string configuredIn, string kind, string? name = null, string? ns = null, string apiVersion = "builtin") =>
        new(null, configuredIn, kind, string.IsNullOrEmpty(name) ? null : name, string.IsNullOrEmpty(ns) ? null : ns, apiVersion);

    /// <summary>The YAML text kustomize writes, each line prefixed by <paramref name="indent"/> after the first.</summary>
    public string ToYaml(string firstPrefix = "", string indent = "")
    {
        var sb = new StringBuilder();
        if (Path is not null)
        {
            sb.Append(firstPrefix).Append("path: ").Append(Path).Append('\n');
            return sb.ToString();
        }

        sb.Append(firstPrefix).Append("configuredIn: ").Append(ConfiguredIn).Append('\n');
        sb.Append(indent).Append("configuredBy:\n");
        sb.Append(indent).Append("  apiVersion: ").Append(ByApiVersion).Append('\n');
        sb.Append(indent).Append("  kind: ").Append(ByKind).Append('\n');
        if (ByName is not null)
        {
            sb.Append(indent).Append("  name: ").Append(ByName).Append('\n');
        }

        if (ByNamespace is not null)
        {
            sb.Append(indent).Append("  namespace: ").Append(ByNamespace).Append('\n');
        }

        return sb.ToString();
    }
}
