namespace Weir.Core.Cel;

/// <summary>A CEL expression that does not parse, or whose evaluation fails (no such key, no matching overload…).</summary>
public sealed class CelException(string message) : Exception(message);
