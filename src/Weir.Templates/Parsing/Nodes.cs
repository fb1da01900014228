using System.Text;
using Weir.Templates.Functions;
using Weir.Templates.Values;

namespace Weir.Templates.Parsing;

internal enum NodeKind : byte
{
    Text,
    Action,
    Bool,
    Chain,
    Command,
    Dot,
    Else,
    End,
    Field,
    Identifier,
    If,
    List,
    Nil,
    Number,
    Pipe,
    Range,
    String,
    Template,
    Variable,
    With,
    Comment,
    Break,
    Continue,
}

/// <summary>The text a tree was parsed from, for error locations.</summary>
internal sealed class SourceText
{
    public SourceText(string parseName, string text)
    {
        ParseName = parseName;
        Text = text;
    }

    public string ParseName { get; }

    public string Text { get; }

    /// <summary>NAME:LINE:COL as Go's ErrorContext prints it (the column counts bytes, from 0 on line 1).</summary>
    public string Location(int pos)
    {
        pos = Math.Min(pos, Text.Length);
        var lastNewline = Text.LastIndexOf('\n', Math.Max(pos - 1, 0));
        if (pos == 0)
        {
            lastNewline = -1;
        }

        var line = 1;
        for (var i = 0; i < pos; i++)
        {
            if (Text[i] == '\n')
            {
                line++;
            }
        }

        var col = lastNewline < 0
            ? Encoding.UTF8.GetByteCount(Text.AsSpan(0, pos))
            : Encoding.UTF8.GetByteCount(Text.AsSpan(lastNewline + 1, pos - lastNewline - 1));
        return $"{ParseName}:{line}:{col}";
    }
}

/// <summary>A node of a parsed template; immutable once parsing ends.</summary>
internal abstract class Node
{
    protected Node(NodeKind kind, int pos, SourceText source)
    {
        Kind = kind;
        Pos = pos;
        Source = source;
    }

    public NodeKind Kind { get; }

    public int Pos { get; }

    public SourceText Source { get; }

    public abstract void WriteTo(StringBuilder sb);

    public override string ToString()
    {
        var sb = new StringBuilder();
        WriteTo(sb);
        return sb.ToString();
    }
}

internal sealed class ListNode(int pos, SourceText source) : Node(NodeKind.List, pos, source)
{
    private readonly List<Node> building = [];

    public Node[] Nodes { get; private set; } = [];

    public void Append(Node n) => building.Add(n);

    public ListNode Freeze()
    {
        Nodes = [.. building];
        return this;
    }

    public override void WriteTo(StringBuilder sb)
    {
        foreach (var n in Nodes)
        {
            n.WriteTo(sb);
        }
    }
}

internal sealed class TextNode(int pos, SourceText source, string text) : Node(NodeKind.Text, pos, source)
{
    public string Text { get; } = text;

    public override void WriteTo(StringBuilder sb) => sb.Append(Text);
}

internal sealed class CommentNode(int pos, SourceText source, string text) : Node(NodeKind.Comment, pos, source)
{
    public string Text { get; } = text;

    public override void WriteTo(StringBuilder sb) => sb.Append("{{").Append(Text).Append("}}");
}

internal sealed class PipeNode(int pos, SourceText source, int line) : Node(NodeKind.Pipe, pos, source)
{
    public int Line { get; } = line;

    public bool IsAssign { get; set; }

    public List<VariableNode> Decl { get; } = [];

    public CommandNode[] Cmds { get; private set; } = [];

    private readonly List<CommandNode> building = [];

    public void Append(CommandNode c) => building.Add(c);

    public int CommandCount => building.Count;

    public CommandNode CommandAt(int i) => building[i];

    public void Freeze() => Cmds = [.. building];

    public override void WriteTo(StringBuilder sb)
    {
        if (Decl.Count > 0)
        {
            for (var i = 0; i < Decl.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(", ");
                }

                Decl[i].WriteTo(sb);
            }

            sb.Append(" := ");
        }

        for (var i = 0; i < Cmds.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(" | ");
            }

            Cmds[i].WriteTo(sb);
        }
    }
}

internal sealed class ActionNode(int pos, SourceText source, int line, PipeNode pipe) : Node(NodeKind.Action, pos, source)
{
    public int Line { get; } = line;

    public PipeNode Pipe { get; } = pipe;

    public override void WriteTo(StringBuilder sb)
    {
        sb.Append("{{");
        Pipe.WriteTo(sb);
        sb.Append("}}");
    }
}

internal sealed class CommandNode(int pos, SourceText source) : Node(NodeKind.Command, pos, source)
{
    private readonly List<Node> building = [];

    public Node[] Args { get; private set; } = [];

    public void Append(Node n) => building.Add(n);

    public int Count => building.Count;

    public Node First => building[0];

    public void Freeze() => Args = [.. building];

    public override void WriteTo(StringBuilder sb)
    {
        for (var i = 0; i < Args.Length; i++)
        {
            if (i > 0)
            {
                sb.Append(' ');
            }

            if (Args[i] is PipeNode p)
            {
                sb.Append('(');
                p.WriteTo(sb);
                sb.Append(')');
                continue;
            }

            Args[i].WriteTo(sb);
        }
    }
}

internal sealed class IdentifierNode(int pos, SourceText source, string name, TemplateFunction function) : Node(NodeKind.Identifier, pos, source)
{
    public string Name { get; } = name;

    /// <summary>The function, resolved when the template was parsed.</summary>
    public TemplateFunction Function { get; } = function;

    public override void WriteTo(StringBuilder sb) => sb.Append(Name);
}

internal sealed class VariableNode(int pos, SourceText source, string[] ident) : Node(NodeKind.Variable, pos, source)
{
    public string[] Ident { get; } = ident;

    /// <summary>Frame slots holding variables of this name, innermost first (set by the parser).</summary>
    public int[] Slots { get; set; } = [];

    /// <summary>For a declaration: the slot it fills.</summary>
    public int DeclSlot { get; set; } = -1;

    public override void WriteTo(StringBuilder sb) => sb.AppendJoin('.', Ident);
}

internal sealed class DotNode(int pos, SourceText source) : Node(NodeKind.Dot, pos, source)
{
    public override void WriteTo(StringBuilder sb) => sb.Append('.');
}

internal sealed class NilNode(int pos, SourceText source) : Node(NodeKind.Nil, pos, source)
{
    public override void WriteTo(StringBuilder sb) => sb.Append("nil");
}

internal sealed class FieldNode(int pos, SourceText source, string[] ident) : Node(NodeKind.Field, pos, source)
{
    public string[] Ident { get; } = ident;

    public override void WriteTo(StringBuilder sb)
    {
        foreach (var id in Ident)
        {
            sb.Append('.').Append(id);
        }
    }
}

internal sealed class ChainNode(int pos, SourceText source, Node node) : Node(NodeKind.Chain, pos, source)
{
    public Node Node { get; } = node;

    public List<string> Field { get; } = [];

    public string[] Fields { get; private set; } = [];

    public void Freeze() => Fields = [.. Field];

    public override void WriteTo(StringBuilder sb)
    {
        if (Node is PipeNode)
        {
            sb.Append('(');
            Node.WriteTo(sb);
            sb.Append(')');
        }
        else
        {
            Node.WriteTo(sb);
        }

        foreach (var f in Field)
        {
            sb.Append('.').Append(f);
        }
    }
}

internal sealed class BoolNode(int pos, SourceText source, bool value) : Node(NodeKind.Bool, pos, source)
{
    public bool True { get; } = value;

    public override void WriteTo(StringBuilder sb) => sb.Append(True ? "true" : "false");
}

internal sealed class StringNode(int pos, SourceText source, string quoted, string text) : Node(NodeKind.String, pos, source)
{
    public string Quoted { get; } = quoted;

    public string Text { get; } = text;

    public Value Value { get; } = Value.String(text);

    public override void WriteTo(StringBuilder sb) => sb.Append(Quoted);
}

internal sealed class NumberNode(int pos, SourceText source, string text) : Node(NodeKind.Number, pos, source)
{
    public string Text { get; } = text;

    public bool IsInt { get; set; }

    public bool IsUint { get; set; }

    public bool IsFloat { get; set; }

    public bool IsComplex { get; set; }

    public long Int64 { get; set; }

    public ulong Uint64 { get; set; }

    public double Float64 { get; set; }

    public double Imaginary { get; set; }

    public override void WriteTo(StringBuilder sb) => sb.Append(Text);
}

/// <summary>if, range and with.</summary>
internal sealed class BranchNode(NodeKind kind, int pos, SourceText source, int line, PipeNode pipe, ListNode list, ListNode? elseList)
    : Node(kind, pos, source)
{
    public int Line { get; } = line;

    public PipeNode Pipe { get; } = pipe;

    public ListNode List { get; } = list;

    public ListNode? ElseList { get; } = elseList;

    public override void WriteTo(StringBuilder sb)
    {
        var name = Kind switch
        {
            NodeKind.If => "if",
            NodeKind.Range => "range",
            _ => "with",
        };
        sb.Append("{{").Append(name).Append(' ');
        Pipe.WriteTo(sb);
        sb.Append("}}");
        List.WriteTo(sb);
        if (ElseList is not null)
        {
            sb.Append("{{else}}");
            ElseList.WriteTo(sb);
        }

        sb.Append("{{end}}");
    }
}

internal sealed class BreakNode(int pos, SourceText source, bool isContinue) : Node(isContinue ? NodeKind.Continue : NodeKind.Break, pos, source)
{
    public override void WriteTo(StringBuilder sb) => sb.Append(Kind == NodeKind.Continue ? "{{continue}}" : "{{break}}");
}

internal sealed class TemplateNode(int pos, SourceText source, int line, string name, PipeNode? pipe) : Node(NodeKind.Template, pos, source)
{
    public int Line { get; } = line;

    public string Name { get; } = name;

    public PipeNode? Pipe { get; } = pipe;

    public override void WriteTo(StringBuilder sb)
    {
        sb.Append("{{template ").Append(Formatting.GoQuote.Quote(Name));
        if (Pipe is not null)
        {
            sb.Append(' ');
            Pipe.WriteTo(sb);
        }

        sb.Append("}}");
    }
}

/// <summary>The else and end markers the parser sees; never part of a finished tree.</summary>
internal sealed class MarkerNode(NodeKind kind, int pos, SourceText source) : Node(kind, pos, source)
{
    public override void WriteTo(StringBuilder sb) => sb.Append(Kind == NodeKind.Else ? "{{else}}" : "{{end}}");
}
