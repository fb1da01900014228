namespace Weir.Kustomize.Flux.Envsubst;

/// <summary>A parsed piece of an envsubst template.</summary>
internal abstract record EnvsubstNode;

/// <summary>Literal bytes, escapes already removed.</summary>
internal sealed record TextNode(byte[] Value) : EnvsubstNode;

/// <summary>
/// <c>${Param}</c> with an operator <paramref name="Operator"/> ("" for none, else as written: <c>:-</c>, <c>^^</c>,
/// <c>//</c>, …) and its arguments, each a text or a nested expansion.
/// </summary>
internal sealed record ExpansionNode(string Param, string Operator, IReadOnlyList<EnvsubstNode> Arguments) : EnvsubstNode;
