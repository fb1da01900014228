using Weir.Templates.Values;

namespace Weir.Helm.Values;

internal static class ValueExtensions
{
    /// <summary>The map a value holds, or null when it holds anything else.</summary>
    public static GoMap? MapOrNull(this in Value value) => value.IsMap ? value.AsMap : null;
}
