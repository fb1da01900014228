namespace Weir.Core.Cel;

/// <summary>A parsed CEL expression; <see cref="Position"/> is the source offset a checker error points at.</summary>
internal abstract record CelNode
{
    public int Position { get; init; }
}

internal sealed record CelLiteral(object? Value) : CelNode;

internal sealed record CelIdent(string Name) : CelNode;

/// <summary><c>operand.field</c>, or <c>operand.?field</c> when <see cref="Optional"/>; <see cref="Test"/> inside <c>has()</c>.</summary>
internal sealed record CelSelect(CelNode Operand, string Field, bool Optional = false, bool Test = false) : CelNode;

/// <summary><c>operand[index]</c> or <c>operand[?index]</c>.</summary>
internal sealed record CelIndex(CelNode Operand, CelNode Index, bool Optional = false) : CelNode;

/// <summary>A function (<see cref="Target"/> null) or a method call, also the operators (<c>_+_</c>, <c>!_</c>, …).</summary>
internal sealed record CelCall(CelNode? Target, string Function, IReadOnlyList<CelNode> Args) : CelNode;

internal sealed record CelList(IReadOnlyList<CelNode> Items) : CelNode;

internal sealed record CelMap(IReadOnlyList<(CelNode Key, CelNode Value)> Entries) : CelNode;

internal sealed record CelConditional(CelNode Condition, CelNode Then, CelNode Else) : CelNode;

internal sealed record CelAnd(CelNode Left, CelNode Right) : CelNode;

internal sealed record CelOr(CelNode Left, CelNode Right) : CelNode;

/// <summary>
/// A comprehension macro: <c>range.all(v, predicate)</c>, <c>exists</c>, <c>exists_one</c>, <c>filter</c>,
/// <c>map(v, expr)</c> or <c>map(v, predicate, expr)</c>.
/// </summary>
internal sealed record CelComprehension(string Macro, CelNode Range, string Variable, CelNode Body, CelNode? Filter = null) : CelNode;

/// <summary><c>cel.bind(variable, init, body)</c>: <see cref="Body"/> with the variable bound to <see cref="Init"/>'s value.</summary>
internal sealed record CelBind(string Variable, CelNode Init, CelNode Body) : CelNode;
