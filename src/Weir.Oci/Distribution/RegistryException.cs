namespace Weir.Oci.Distribution;

/// <summary>Why a registry call failed, in the categories a user acts on differently.</summary>
public enum RegistryErrorKind
{
    Unauthorized,
    Forbidden,
    NotFound,
    Unreachable,
    Timeout,
    InvalidContent,
    TooLarge,
    ServerError,
    Other,
}

/// <summary>A failed registry call; the message names the registry, repository and cause.</summary>
public sealed class RegistryException(RegistryErrorKind kind, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public RegistryErrorKind Kind { get; } = kind;
}
