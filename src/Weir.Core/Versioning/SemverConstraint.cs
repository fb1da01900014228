using System.Text.RegularExpressions;
using Semver;

namespace Weir.Core.Versioning;

/// <summary>
/// A version constraint in Masterminds/semver v3 syntax, the syntax Flux uses for
/// <c>spec.ref.semver</c>: comparators <c>= != &gt; &lt; &gt;= &lt;= ~ ~&gt; ^</c>, <c>x X *</c>
/// wildcards, hyphen ranges, comma or space as AND, <c>||</c> as OR. A prerelease version
/// only satisfies a comparator that itself names a prerelease.
/// </summary>
public sealed partial class SemverConstraint
{
    // The grammar, written with RE2's \s (no Unicode spaces) and end-of-text anchors.
    private const string Ws = @"[\t\n\f\r ]";
    private const string Cv = @"v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?";
    private const string Ops = @"=||!=|>|<|>=|=>|<=|=<|~|~>|\^";

    [GeneratedRegex("^" + Ws + "*(" + Ops + ")" + Ws + "*(" + Cv + ")" + Ws + @"*\z", RegexOptions.CultureInvariant)]
    private static partial Regex Single();

    [GeneratedRegex(Ws + "*(" + Cv + ")" + Ws + "+-" + Ws + "+(" + Cv + ")" + Ws + "*", RegexOptions.CultureInvariant)]
    private static partial Regex HyphenRange();

    [GeneratedRegex("(" + Ops + ")" + Ws + "*(" + Cv + ")", RegexOptions.CultureInvariant)]
    private static partial Regex Find();

    [GeneratedRegex("^(" + Ws + "*(" + Ops + ")" + Ws + "*(" + Cv + ")" + Ws + "*)((?:" + Ws + "+|," + Ws + "*)(" + Ops + ")" + Ws + "*(" + Cv + ")" + Ws + @"*)*\z", RegexOptions.CultureInvariant)]
    private static partial Regex ValidGroup();

    private readonly IReadOnlyList<IReadOnlyList<Comparator>> _anyOf;

    private SemverConstraint(string text, IReadOnlyList<IReadOnlyList<Comparator>> anyOf)
    {
        Text = text;
        _anyOf = anyOf;
    }

    /// <summary>The constraint as written.</summary>
    public string Text { get; }

    /// <summary>Parses a constraint; throws <see cref="FormatException"/> with Masterminds' message.</summary>
    public static SemverConstraint Parse(string text) =>
        TryParse(text, out var c, out var error) ? c : throw new FormatException(error);

    /// <summary>Parses a constraint; on failure <paramref name="error"/> carries Masterminds' message.</summary>
    public static bool TryParse(string text, out SemverConstraint constraint, out string error)
    {
        constraint = new SemverConstraint(text, []);
        var rewritten = RewriteHyphenRanges(text);
        var groups = new List<IReadOnlyList<Comparator>>();
        foreach (var group in rewritten.Split("||"))
        {
            if (!ValidGroup().IsMatch(group))
            {
                error = $"improper constraint: {group}";
                return false;
            }
            var comparators = new List<Comparator>();
            foreach (Match m in Find().Matches(group))
            {
                if (!Comparator.TryParse(m.Value, out var comparator, out error))
                {
                    return false;
                }
                comparators.Add(comparator);
            }
            groups.Add(comparators);
        }
        constraint = new SemverConstraint(text, groups);
        error = "";
        return true;
    }

    /// <summary>True when <paramref name="version"/> satisfies every comparator of some OR group.</summary>
    public bool Check(SemVersion version) => _anyOf.Any(all => all.All(c => c.Check(version)));

    private static string RewriteHyphenRanges(string text)
    {
        var result = text;
        foreach (Match m in HyphenRange().Matches(text))
        {
            var at = result.IndexOf(m.Value, StringComparison.Ordinal);
            if (at >= 0)
            {
                result = string.Concat(result.AsSpan(0, at), $">= {m.Groups[1].Value}, <= {m.Groups[11].Value}", result.AsSpan(at + m.Value.Length));
            }
        }
        return result;
    }

    private static bool IsWildcard(string s) => s is "x" or "X" or "*";

    /// <summary>One operator and version; wildcard positions make it "dirty".</summary>
    private sealed record Comparator(string Op, SemVersion Version, bool Dirty, bool MinorDirty, bool PatchDirty)
    {
        public static bool TryParse(string text, out Comparator comparator, out string error)
        {
            comparator = new Comparator("", SemVersion.ParsedFrom(0), false, false, false);
            var m = Single().Match(text);
            if (!m.Success)
            {
                error = $"improper constraint: {text}";
                return false;
            }
            var major = m.Groups[3].Value;
            var minor = m.Groups[4].Value.TrimStart('.');
            var patch = m.Groups[5].Value.TrimStart('.');
            var pre = m.Groups[6].Value;
            bool dirty = false, minorDirty = false, patchDirty = false;
            var version = m.Groups[2].Value;
            if (IsWildcard(major))
            {
                version = "0.0.0" + pre;
                dirty = true;
            }
            else if (IsWildcard(minor) || m.Groups[4].Value.Length == 0)
            {
                version = $"{major}.0.0{pre}";
                dirty = minorDirty = true;
            }
            else if (IsWildcard(patch) || m.Groups[5].Value.Length == 0)
            {
                version = $"{major}.{minor}.0{pre}";
                dirty = patchDirty = true;
            }
            if (!LooseVersion.TryParse(version, out var parsed, out _))
            {
                error = "constraint Parser Error";
                return false;
            }
            comparator = new Comparator(m.Groups[1].Value, parsed, dirty, minorDirty, patchDirty);
            error = "";
            return true;
        }

        public bool Check(SemVersion v)
        {
            // A prerelease only matches comparators that ask for prereleases
            // (Masterminds exempts an exact "!=" from this rule).
            if (v.IsPrerelease && !Version.IsPrerelease && !(Op == "!=" && !Dirty))
            {
                return false;
            }
            return Op switch
            {
                "" or "=" => Dirty ? Tilde(v) : Cmp(v) == 0,
                "!=" => NotEqual(v),
                ">" => GreaterThan(v),
                "<" => Cmp(v) < 0,
                ">=" or "=>" => Cmp(v) >= 0,
                "<=" or "=<" => LessOrEqual(v),
                "~" or "~>" => Tilde(v),
                "^" => Caret(v),
                _ => false,
            };
        }

        private int Cmp(SemVersion v) => LooseVersion.Compare(v, Version);

        private bool NotEqual(SemVersion v)
        {
            if (Dirty)
            {
                if (Version.Major != v.Major)
                {
                    return true;
                }
                if (Version.Minor != v.Minor && !MinorDirty)
                {
                    return true;
                }
                if (MinorDirty)
                {
                    return false;
                }
                if (Version.Patch != v.Patch && !PatchDirty)
                {
                    return true;
                }
                if (PatchDirty)
                {
                    return (v.IsPrerelease || Version.IsPrerelease) && ComparePrereleaseOnly(v) != 0;
                }
            }
            return Cmp(v) != 0;
        }

        private int ComparePrereleaseOnly(SemVersion v) => LooseVersion.ComparePrerelease(v.Prerelease, Version.Prerelease);

        private bool GreaterThan(SemVersion v)
        {
            if (!Dirty)
            {
                return Cmp(v) > 0;
            }
            if (v.Major != Version.Major)
            {
                return v.Major > Version.Major;
            }
            if (MinorDirty)
            {
                return false;
            }
            if (PatchDirty)
            {
                return v.Minor > Version.Minor;
            }
            return Cmp(v) > 0;
        }

        private bool LessOrEqual(SemVersion v)
        {
            if (!Dirty)
            {
                return Cmp(v) <= 0;
            }
            if (v.Major > Version.Major)
            {
                return false;
            }
            return !(v.Major == Version.Major && v.Minor > Version.Minor && !MinorDirty);
        }

        private bool Tilde(SemVersion v)
        {
            if (Cmp(v) < 0)
            {
                return false;
            }
            if (Version.Major == 0 && Version.Minor == 0 && Version.Patch == 0 && !MinorDirty && !PatchDirty)
            {
                return true;
            }
            if (v.Major != Version.Major)
            {
                return false;
            }
            return v.Minor == Version.Minor || MinorDirty;
        }

        private bool Caret(SemVersion v)
        {
            if (Cmp(v) < 0)
            {
                return false;
            }
            if (Version.Major > 0 || MinorDirty)
            {
                return v.Major == Version.Major;
            }
            if (v.Major > 0)
            {
                return false;
            }
            if (Version.Minor > 0 || PatchDirty)
            {
                return v.Minor == Version.Minor;
            }
            if (v.Minor > 0)
            {
                return false;
            }
            return v.Patch == Version.Patch;
        }
    }
}
