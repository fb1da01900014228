namespace Weir.Kustomize.Flux.Envsubst;

/// <summary>An expression could not be parsed or evaluated; the message is the one drone/envsubst gives.</summary>
public sealed class EnvsubstException(string message) : Exception(message);
