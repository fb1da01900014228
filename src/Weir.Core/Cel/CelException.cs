namespace Weir.Core.Cel;

/// <summary>
/// A CEL expression that does not parse, or whose evaluation fails (no such key, no matching overload…). A syntax
/// error also carries the source offset it points at and its message without the position suffix.
/// </summary>
public sealed class CelException(string message, int? position = null, string? detail = null) : Exception(message)
{
    public int? Position { get; } = position;

    /// <summary>The message without the trailing position, for callers that print the position their own way.</summary>
    public string Detail { get; } = detail ?? message;
}
