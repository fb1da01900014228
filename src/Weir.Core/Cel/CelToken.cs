namespace Weir.Core.Cel;

internal enum CelTokenKind
{
    Identifier,
    Int,
    Uint,
    Double,
    String,
    Punct,
    End,
}

/// <summary>One lexical token; <see cref="Text"/> is the identifier, the punctuation, or the decoded string.</summary>
internal sealed record CelToken(CelTokenKind Kind, string Text, int Position, object? Value = null);
