namespace Weir.Templates.Parsing;

internal enum TokenType
{
    Error,
    Bool,
    Char,
    CharConstant,
    Comment,
    Complex,
    Assign,
    Declare,
    Eof,
    Field,
    Identifier,
    LeftDelim,
    LeftParen,
    Number,
    Pipe,
    RawString,
    RightDelim,
    RightParen,
    Space,
    String,
    Text,
    Variable,

    // Keywords follow.
    Keyword,
    Block,
    Break,
    Continue,
    Dot,
    Define,
    Else,
    End,
    If,
    Nil,
    Range,
    Template,
    With,
}

/// <summary>One lexeme; Pos is a char offset into the template text, Line the 1-based line where it starts.</summary>
internal readonly record struct Token(TokenType Type, int Pos, string Value, int Line)
{
    public override string ToString() => Type switch
    {
        TokenType.Eof => "EOF",
        TokenType.Error => Value,
        > TokenType.Keyword => "<" + Value + ">",
        _ when Value.Length > 10 => Formatting.GoQuote.Quote(Value[..10]) + "...",
        _ => Formatting.GoQuote.Quote(Value),
    };
}
