using System.Reflection;

namespace Weir.Core;

/// <summary>The version of this build of Weir, as printed by <c>weir version</c>.</summary>
public static class WeirVersion
{
    public static string Current { get; } =
        typeof(WeirVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";
}
