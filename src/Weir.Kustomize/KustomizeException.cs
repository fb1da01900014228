namespace Weir.Kustomize;

/// <summary>A kustomization cannot be built. The message names the file or entry and the cause.</summary>
public sealed class KustomizeException : Exception
{
    public KustomizeException(string message)
        : base(message)
    {
    }

    public KustomizeException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
