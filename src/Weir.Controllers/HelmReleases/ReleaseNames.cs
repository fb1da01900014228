using System.Security.Cryptography;
using System.Text;
using Weir.Core.Api.Helm;

namespace Weir.Controllers.HelmReleases;

/// <summary>
/// Flux's naming of a HelmRelease's Helm release: <c>spec.releaseName</c>, else <c>[targetNamespace-]name</c>; a
/// name longer than Helm's 53 characters keeps its first 40 and gets <c>-</c> and 12 hex characters of its SHA-256.
/// </summary>
public static class ReleaseNames
{
    public const int MaxLength = 53;

    public static string For(string name, HelmReleaseSpec spec)
    {
        if (spec.ReleaseName is { Length: > 0 } releaseName)
        {
            return releaseName;
        }

        var full = spec.TargetNamespace is { Length: > 0 } target ? $"{target}-{name}" : name;
        return Shorten(full);
    }

    public static string Shorten(string name)
    {
        if (name.Length <= MaxLength)
        {
            return name;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
        return $"{name[..40]}-{hash[..12]}";
    }
}
