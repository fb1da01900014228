namespace Weir.Core.Objects;

/// <summary>A namespace and name; <see cref="Namespace"/> is empty for cluster-scoped objects.</summary>
public readonly record struct ObjectKey(string Namespace, string Name)
{
    /// <summary>Parses <c>ns/name</c> or a bare cluster-scoped <c>name</c>.</summary>
    public static ObjectKey Parse(string text)
    {
        var slash = text.IndexOf('/');
        return slash < 0 ? new ObjectKey("", text) : new ObjectKey(text[..slash], text[(slash + 1)..]);
    }

    public override string ToString() => Namespace.Length == 0 ? Name : $"{Namespace}/{Name}";
}
