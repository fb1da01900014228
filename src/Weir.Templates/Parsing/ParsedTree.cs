namespace Weir.Templates.Parsing;

/// <summary>One named template after parsing: its root list and the number of variable slots it needs.</summary>
internal sealed class ParsedTree
{
    public ParsedTree(string name, ListNode root, SourceText source, int frameSize)
    {
        Name = name;
        Root = root;
        Source = source;
        FrameSize = frameSize;
    }

    public string Name { get; }

    public ListNode Root { get; }

    public SourceText Source { get; }

    public int FrameSize { get; }

    /// <summary>Go's parse.IsEmptyTree: only whitespace text and comments.</summary>
    public bool IsEmpty => IsEmptyNode(Root);

    private static bool IsEmptyNode(Node n) => n switch
    {
        ListNode l => l.Nodes.All(IsEmptyNode),
        CommentNode => true,
        TextNode t => string.IsNullOrWhiteSpace(t.Text.Trim(' ', '\t', '\r', '\n', '\v', '\f', '\u0085', '\u00A0')) && IsGoSpaceOnly(t.Text),
        _ => false,
    };

    private static bool IsGoSpaceOnly(string s)
    {
        foreach (var c in s)
        {
            if (!char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        return true;
    }
}
