using Weir.Core.Files;

namespace Weir.Helm.Charts;

/// <summary>
/// <c>.helmignore</c> rules as Helm applies them when loading a chart directory: rules are tried in order and the
/// first that matches decides; a pattern without '/' matches the base name, one with '/' the whole path, a leading
/// '/' anchors it, a trailing '/' restricts it to directories, '!' negates; <c>**</c> is refused. Helm's default rule
/// <c>templates/.?*</c> (dotfiles in templates/) is always added last.
/// </summary>
public sealed class HelmIgnore
{
    public const string FileName = ".helmignore";

    private readonly List<Rule> rules = [];

    /// <summary>Parses a .helmignore file's text.</summary>
    /// <exception cref="ChartException">A rule uses <c>**</c> or is not a valid pattern.</exception>
    public static HelmIgnore Parse(string text)
    {
        var ignore = new HelmIgnore();
        if (text.StartsWith('\uFEFF'))
        {
            text = text[1..];
        }

        foreach (var line in text.Split('\n'))
        {
            ignore.AddRule(line);
        }

        return ignore;
    }

    public static HelmIgnore Empty() => new();

    public void AddDefaults() => AddRule("templates/.?*");

    /// <summary>Whether the file or directory at <paramref name="path"/> (relative, '/'-separated) is ignored.</summary>
    public bool Ignore(string path, bool isDirectory)
    {
        if (path is "" or "." or "./")
        {
            return false;
        }

        foreach (var rule in rules)
        {
            if (rule.Negate)
            {
                if (rule.MustDir && !isDirectory)
                {
                    return true;
                }

                if (!rule.Matches(path))
                {
                    return true;
                }

                continue;
            }

            if (rule.MustDir && !isDirectory)
            {
                continue;
            }

            if (rule.Matches(path))
            {
                return true;
            }
        }

        return false;
    }

    private void AddRule(string line)
    {
        var rule = line.Trim();
        if (rule.Length == 0 || rule[0] == '#')
        {
            return;
        }

        if (rule.Contains("**", StringComparison.Ordinal))
        {
            throw new ChartException("double-star (**) syntax is not supported");
        }

        try
        {
            GoPathMatch.Validate(rule);
        }
        catch (FormatException)
        {
            throw new ChartException("syntax error in pattern");
        }

        var negate = rule[0] == '!';
        if (negate)
        {
            rule = rule[1..];
        }

        var mustDir = rule.EndsWith('/');
        if (mustDir)
        {
            rule = rule[..^1];
        }

        var anchored = rule.StartsWith('/');
        if (anchored)
        {
            rule = rule[1..];
        }

        var kind = anchored || rule.Contains('/') ? MatchKind.Path : MatchKind.BaseName;
        rules.Add(new Rule(rule, kind, negate, mustDir));
    }

    private enum MatchKind
    {
        Path,
        BaseName,
    }

    private sealed record Rule(string Pattern, MatchKind Kind, bool Negate, bool MustDir)
    {
        public bool Matches(string path)
        {
            var subject = Kind == MatchKind.BaseName ? BaseName(path) : path;
            try
            {
                return GoPathMatch.IsMatch(Pattern, subject);
            }
            catch (FormatException)
            {
                return false;
            }
        }

        private static string BaseName(string path)
        {
            var trimmed = path.TrimEnd('/');
            if (trimmed.Length == 0)
            {
                return "/";
            }

            var slash = trimmed.LastIndexOf('/');
            return slash < 0 ? trimmed : trimmed[(slash + 1)..];
        }
    }
}
