using System.Text;
using System.Text.RegularExpressions;
using Weir.Core.Api.SourceExtensions;

namespace Weir.Sources.ArtifactGenerators;

/// <summary>An output artifact to build, with the labels its captures give the ExternalArtifact.</summary>
public sealed record ArtifactRequest(OutputArtifact Artifact, IReadOnlyDictionary<string, string> Labels)
{
    public string Name => Artifact.Name ?? "";
}

/// <summary>A path pattern that can never expand (a malformed pattern or capture); retrying cannot help.</summary>
public sealed class PathPatternException(string message) : Exception(message);

/// <summary>
/// <c>spec.pathPattern</c> decomposition: <c>@alias/apps/{app}/envs/{env}</c> is matched against every directory of
/// the alias's source; each match renders every output artifact with its captures — lowercased in names and labels
/// (they must be valid label values), as found in <c>copy</c> paths. Two directories rendering one name are an error.
/// Without a pattern the artifacts are returned as written.
/// </summary>
public static partial class PathPattern
{
    public static IReadOnlyList<ArtifactRequest> Expand(ArtifactGeneratorSpec spec, IReadOnlyDictionary<string, string> sources)
    {
        var artifacts = spec.Artifacts ?? [];
        if (spec.PathPattern is not { Length: > 0 } pathPattern)
        {
            return [.. artifacts.Select(a => new ArtifactRequest(a, new Dictionary<string, string>()))];
        }

        var slash = pathPattern.IndexOf('/');
        if (slash < 0 || !pathPattern.StartsWith('@'))
        {
            throw new PathPatternException($"invalid pathPattern format: {pathPattern}");
        }

        var alias = pathPattern[1..slash];
        var pattern = pathPattern[(slash + 1)..];
        if (!sources.TryGetValue(alias, out var root))
        {
            throw new PathPatternException($"pathPattern \"{pathPattern}\": source alias {alias} not found in local sources");
        }

        var matcher = Compile(pathPattern, pattern);
        var requests = new List<ArtifactRequest>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var directory in Directories(root, ""))
        {
            var match = matcher.Match(directory);
            if (!match.Success)
            {
                continue;
            }

            var raw = matcher.GetGroupNames().Where(n => !int.TryParse(n, out _)).ToDictionary(n => n, n => match.Groups[n].Value);
            var lower = raw.ToDictionary(c => c.Key, c => c.Value.ToLowerInvariant());
            foreach (var (name, value) in lower)
            {
                if (!LabelValue().IsMatch(value))
                {
                    throw new PathPatternException(
                        $"pathPattern \"{pathPattern}\": captured value \"{value}\" for variable \"{name}\" is not a valid Kubernetes label value: " +
                        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
                }
            }

            foreach (var artifact in artifacts)
            {
                ArtifactRequest request;
                try
                {
                    request = new ArtifactRequest(artifact with
                    {
                        Name = Render(artifact.Name ?? "", lower),
                        Copy = [.. (artifact.Copy ?? []).Select(c => c with { From = Render(c.From ?? "", raw), To = Render(c.To ?? "", raw) })],
                    }, lower);
                }
                catch (FormatException e)
                {
                    throw new PathPatternException(
                        $"pathPattern \"{pathPattern}\": failed to render artifact {artifact.Name} for match {directory}: {e.Message}");
                }

                if (!ObjectName().IsMatch(request.Name) || request.Name.Length > 253)
                {
                    throw new PathPatternException(
                        $"pathPattern \"{pathPattern}\": rendered artifact name \"{request.Name}\" is not a valid Kubernetes object name: " +
                        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
                }

                if (seen.TryGetValue(request.Name, out var previous))
                {
                    throw new PathPatternException(
                        $"pathPattern \"{pathPattern}\": directories \"{previous}\" and \"{directory}\" both resolve to artifact name \"{request.Name}\"");
                }

                seen[request.Name] = directory;
                requests.Add(request);
            }
        }

        return requests;
    }

    // "apps/{app}" becomes ^apps/(?<app>[^/]+)$; every other character is literal.
    private static Regex Compile(string pathPattern, string pattern)
    {
        var regex = new StringBuilder("^");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < pattern.Length; i++)
        {
            switch (pattern[i])
            {
                case '{':
                    var end = pattern.IndexOf('}', i + 1);
                    if (end < 0)
                    {
                        throw new PathPatternException($"pathPattern \"{pathPattern}\": invalid capture starting at offset {i}: missing closing brace");
                    }

                    var name = pattern[(i + 1)..end];
                    if (name.Length == 0)
                    {
                        throw new PathPatternException($"pathPattern \"{pathPattern}\": empty capture variable");
                    }

                    if (!CaptureName().IsMatch(name))
                    {
                        throw new PathPatternException(
                            $"pathPattern \"{pathPattern}\": capture variable \"{name}\" must be a valid capture name matching [A-Za-z_][A-Za-z0-9_]*");
                    }

                    if (!seen.Add(name))
                    {
                        throw new PathPatternException($"pathPattern \"{pathPattern}\": duplicate capture variable \"{name}\"");
                    }

                    regex.Append("(?<").Append(name).Append(">[^/]+)");
                    i = end;
                    break;
                case '}':
                    throw new PathPatternException($"pathPattern \"{pathPattern}\": invalid capture ending at offset {i}: missing opening brace");
                default:
                    regex.Append(Regex.Escape(pattern[i].ToString()));
                    break;
            }
        }

        return new Regex(regex.Append('$').ToString(), RegexOptions.CultureInvariant);
    }

    /// <summary>Fills <c>{name}</c> placeholders; a malformed or unknown placeholder throws <see cref="FormatException"/>.</summary>
    private static string Render(string template, IReadOnlyDictionary<string, string> captures)
    {
        var text = new StringBuilder();
        for (var i = 0; i < template.Length; i++)
        {
            switch (template[i])
            {
                case '{':
                    var end = template.IndexOf('}', i + 1);
                    if (end < 0)
                    {
                        throw new FormatException($"invalid template \"{template}\": capture starting at offset {i} is missing closing brace");
                    }

                    var name = template[(i + 1)..end];
                    if (!captures.TryGetValue(name, out var value))
                    {
                        throw new FormatException($"invalid template \"{template}\": capture variable \"{name}\" is not defined by pathPattern");
                    }

                    text.Append(value);
                    i = end;
                    break;
                case '}':
                    throw new FormatException($"invalid template \"{template}\": capture ending at offset {i} is missing opening brace");
                default:
                    text.Append(template[i]);
                    break;
            }
        }

        return text.ToString();
    }

    // Every directory below the root, in walk order (lexical, parents first), '/'-separated.
    private static IEnumerable<string> Directories(string root, string relative)
    {
        var full = relative.Length == 0 ? root : Path.Combine(root, relative);
        foreach (var dir in new DirectoryInfo(full).EnumerateDirectories().OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            if (dir.LinkTarget is not null)
            {
                continue;
            }

            var path = relative.Length == 0 ? dir.Name : relative + "/" + dir.Name;
            yield return path;
            foreach (var below in Directories(root, path))
            {
                yield return below;
            }
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex CaptureName();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex ObjectName();
}
