namespace Weir.Helm.Rendering;

/// <summary>A chart could not be rendered; the message reads as Helm prints it (template name, line and column).</summary>
public sealed class RenderException(string message, Exception? inner = null) : Exception(message, inner);
