namespace Weir.Controllers.HelmReleases.Values;

/// <summary>
/// A <c>valuesFrom</c> entry could not be resolved. The message reads as Flux's
/// (<c>could not resolve Secret chart values reference 'ns/name' with key 'values.yaml': …</c>) and never holds a
/// Secret's data; the reconciler reports it as Ready=False (reason <c>ValuesError</c>).
/// </summary>
public sealed class ValuesReferenceException(string message, Exception? inner = null) : Exception(message, inner);
