using System.Text;
using System.Text.RegularExpressions;

namespace Weir.Runtime.Artifacts;

/// <summary>
/// .gitignore-syntax exclusion rules as Flux applies them to sources: its default
/// exclusions, then every <c>.sourceignore</c> file (rules of a nested file apply below
/// its directory). The last matching rule wins; <c>!</c> re-includes.
/// </summary>
public sealed class IgnoreRules
{
    /// <summary>The file whose rules are read from every directory.</summary>
    public const string SourceIgnoreFile = ".sourceignore";

    /// <summary>Flux's default exclusions for sources (VCS metadata, CI configs, binaries).</summary>
    public static readonly IReadOnlyList<string> FluxDefaults =
    [
        ".git/", ".gitignore", ".gitmodules", ".gitattributes",
        "*.jpg", "*.jpeg", "*.gif", "*.png", "*.wmv", "*.flv", "*.tar.gz", "*.zip",
        ".github/", ".circleci/", ".travis.yml", ".gitlab-ci.yml", "appveyor.yml", ".drone.yml",
        "cloudbuild.yaml", "codeship-*.yml", ".goreleaser.yml", ".sops.yaml", ".flux.yaml",
    ];

    private readonly List<Rule> _rules = [];

    /// <summary>Rules with Flux's defaults.</summary>
    public static IgnoreRules WithFluxDefaults()
    {
        var rules = new IgnoreRules();
        rules.Add("", FluxDefaults);
        return rules;
    }

    /// <summary>A source's rules: its <c>spec.ignore</c> when set (replacing the defaults), else Flux's defaults.</summary>
    public static IgnoreRules ForSpec(string? ignore)
    {
        if (ignore is null)
        {
            return WithFluxDefaults();
        }

        var rules = new IgnoreRules();
        rules.Add("", ignore.Split('\n'));
        return rules;
    }

    /// <summary>Adds rules that apply under <paramref name="baseDir"/> (relative, '/'-separated, "" for the root).</summary>
    public void Add(string baseDir, IEnumerable<string> lines)
    {
        foreach (var raw in lines)
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            line = TrimTrailingSpaces(line);
            if (line.Length == 0)
            {
                continue;
            }
            var negate = line[0] == '!';
            if (negate || line.StartsWith("\\!", StringComparison.Ordinal) || line.StartsWith("\\#", StringComparison.Ordinal))
            {
                line = line[1..];
            }
            var dirOnly = line.EndsWith('/');
            line = line.TrimEnd('/');
            if (line.Length == 0)
            {
                continue;
            }
            var anchored = line.Contains('/');
            line = line.TrimStart('/');
            _rules.Add(new Rule(baseDir, new Regex("^" + GlobToRegex(line) + @"\z", RegexOptions.CultureInvariant), negate, dirOnly, anchored));
        }
    }

    /// <summary>True when <paramref name="relativePath"/> ('/'-separated) is excluded.</summary>
    public bool IsIgnored(string relativePath, bool isDirectory)
    {
        var ignored = false;
        foreach (var rule in _rules)
        {
            if (rule.Matches(relativePath, isDirectory))
            {
                ignored = !rule.Negate;
            }
        }
        return ignored;
    }

    private sealed record Rule(string BaseDir, Regex Pattern, bool Negate, bool DirOnly, bool Anchored)
    {
        public bool Matches(string path, bool isDirectory)
        {
            if (DirOnly && !isDirectory)
            {
                return false;
            }
            if (BaseDir.Length > 0)
            {
                if (!path.StartsWith(BaseDir + "/", StringComparison.Ordinal))
                {
                    return false;
                }
                path = path[(BaseDir.Length + 1)..];
            }
            return Anchored ? Pattern.IsMatch(path) : Pattern.IsMatch(path[(path.LastIndexOf('/') + 1)..]);
        }
    }

    private static string TrimTrailingSpaces(string line)
    {
        var end = line.Length;
        while (end > 0 && line[end - 1] == ' ' && !(end > 1 && line[end - 2] == '\\'))
        {
            end--;
        }
        return line[..end];
    }

    private static string GlobToRegex(string glob)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            if (c == '*' && i + 1 < glob.Length && glob[i + 1] == '*')
            {
                var atStart = i == 0 || glob[i - 1] == '/';
                var atEnd = i + 2 == glob.Length;
                var slashAfter = i + 2 < glob.Length && glob[i + 2] == '/';
                if (atStart && slashAfter)
                {
                    sb.Append("(?:.*/)?");
                    i += 2;
                    continue;
                }
                if (atStart && atEnd)
                {
                    sb.Append(".*");
                    i += 1;
                    continue;
                }
                sb.Append("[^/]*");
                i += 1;
                continue;
            }
            switch (c)
            {
                case '*':
                    sb.Append("[^/]*");
                    break;
                case '?':
                    sb.Append("[^/]");
                    break;
                case '[':
                    var close = glob.IndexOf(']', i + 1);
                    if (close < 0)
                    {
                        sb.Append(@"\[");
                        break;
                    }
                    var body = glob[(i + 1)..close];
                    if (body.StartsWith('!'))
                    {
                        body = "^" + body[1..];
                    }
                    sb.Append('[').Append(body.Replace("\\", "\\\\")).Append(']');
                    i = close;
                    break;
                case '\\' when i + 1 < glob.Length:
                    sb.Append(Regex.Escape(glob[++i].ToString()));
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }
        return sb.ToString();
    }
}
