using System.Text.RegularExpressions;
using Semver;
using Weir.Core.Versioning;

namespace Weir.Oci.Versioning;

/// <summary>
/// Picks the tag an OCIRepository with <c>spec.ref.semver</c> resolves to: tags are
/// filtered by the optional <c>semverFilter</c> regex, tags that are not versions are
/// skipped, and the highest version satisfying the constraint wins.
/// </summary>
public static class SemverTagSelector
{
    /// <summary>Returns the selected tag; throws <see cref="SemverSelectionException"/> with Flux's message.</summary>
    public static string Select(IEnumerable<string> tags, string constraint, string? filter = null)
    {
        if (!SemverConstraint.TryParse(constraint, out var parsed, out var error))
        {
            throw new SemverSelectionException($"semver '{constraint}' parse error: {error}");
        }
        Regex? regex = null;
        if (!string.IsNullOrEmpty(filter))
        {
            try
            {
                regex = new Regex(filter, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                throw new SemverSelectionException($"semver regex parse error: {e.Message}");
            }
        }
        string? best = null;
        SemVersion? bestVersion = null;
        foreach (var tag in tags)
        {
            if (regex is not null && !regex.IsMatch(tag))
            {
                continue;
            }
            if (!LooseVersion.TryParse(tag, out var v, out _) || !parsed.Check(v))
            {
                continue;
            }
            if (bestVersion is null || LooseVersion.Compare(v, bestVersion) > 0)
            {
                best = tag;
                bestVersion = v;
            }
        }
        return best ?? throw new SemverSelectionException($"no match found for semver: {constraint}");
    }
}

/// <summary>No tag could be selected for a semver constraint.</summary>
public sealed class SemverSelectionException(string message) : Exception(message);
