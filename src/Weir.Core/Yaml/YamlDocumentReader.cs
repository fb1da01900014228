using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Weir.Core.Yaml;

/// <summary>
/// Reads a YAML stream with YamlDotNet's event parser into one <see cref="YamlSourceNode"/> tree per document.
/// Built iteratively, so nesting depth costs heap, not stack; nesting beyond Go's limits is an error.
/// </summary>
internal static class YamlDocumentReader
{
    /// <summary>go-yaml refuses more than this many nested flow levels or block indentation levels.</summary>
    public const int MaxDepth = 10000;

    private const string YamlTagPrefix = "tag:yaml.org,2002:";

    /// <summary>
    /// Yields each document's root node; stops after the first when <paramref name="firstOnly"/>. A document larger
    /// than <see cref="YamlOptions.MaxDocumentBytes"/> is refused before anything is parsed; errors name the line the
    /// way the options' dialect does.
    /// </summary>
    public static IEnumerable<YamlSourceNode> Read(string yaml, bool firstOnly, YamlOptions options)
    {
        if (yaml.Length > 0 && yaml[0] == '\uFEFF')
        {
            yaml = yaml[1..];
        }

        DocumentSizeLimit.Check(yaml, options.MaxDocumentBytes);
        var contextFirst = options.Dialect == YamlDialect.Kyaml;
        GoSyntaxChecks.Characters(yaml);
        GoSyntaxChecks.FlowOpenerRuns(yaml);
        var parser = new Parser(new StringReader(yaml));
        Next(parser, null, contextFirst); // StreamStart
        var previousEnd = 0;
        while (true)
        {
            var ev = Next(parser, null, contextFirst);
            if (ev is StreamEnd or null)
            {
                yield break;
            }

            if (ev is not DocumentStart start)
            {
                throw new YamlException($"yaml: unexpected {ev.GetType().Name} event", (int)ev.Start.Line, (int)ev.Start.Column);
            }

            CheckVersion(start);
            if (!start.IsImplicit)
            {
                GoSyntaxChecks.Directives(yaml, previousEnd, (int)start.Start.Index, (int)start.Start.Line);
            }

            var (root, end) = ReadDocument(parser, yaml, contextFirst);
            previousEnd = end;
            yield return root;
            if (firstOnly)
            {
                yield break;
            }
        }
    }

    private static void CheckVersion(DocumentStart start)
    {
        var version = start.Version?.Version;
        if (version is not null && (version.Major != 1 || version.Minor != 1))
        {
            throw new YamlException($"yaml: line {start.Start.Line}: found incompatible YAML document", (int)start.Start.Line, (int)start.Start.Column);
        }
    }

    private static (YamlSourceNode Root, int End) ReadDocument(IParser parser, string source, bool contextFirst)
    {
        var anchors = new Dictionary<string, YamlSourceNode>(StringComparer.Ordinal);
        var open = new Stack<(YamlSourceNode Node, bool Flow, bool CountsAsIndent)>();
        int flowDepth = 0, blockDepth = 0;
        YamlSourceNode? root = null;

        while (true)
        {
            var ev = Next(parser, open, contextFirst) ?? throw new YamlException("yaml: unexpected end of stream");
            YamlSourceNode? completed = null;
            switch (ev)
            {
                case DocumentEnd:
                    return (root ?? new YamlSourceNode(YamlNodeKind.Scalar, (int)ev.Start.Line, (int)ev.Start.Column) { Implicit = true }, (int)ev.End.Index);
                case Scalar scalar:
                    completed = NewScalar(scalar, source);
                    if (scalar.Style == ScalarStyle.Plain && flowDepth == 0)
                    {
                        var isKey = open.Count > 0 && open.Peek().Node.Kind == YamlNodeKind.Mapping && open.Peek().Node.Children.Count % 2 == 0;
                        GoSyntaxChecks.PlainInBlock(source, (int)scalar.Start.Index, (int)scalar.End.Index, (int)scalar.Start.Line, isKey);
                    }
                    if (open.Count > 0 && !open.Peek().Flow && open.Peek().Node.Kind == YamlNodeKind.Mapping && open.Peek().Node.Children.Count % 2 == 0)
                    {
                        GoSyntaxChecks.SimpleKeyLength(source, (int)scalar.Start.Index, (int)scalar.End.Index, (int)scalar.Start.Line, (int)scalar.End.Line);
                    }

                    Register(anchors, scalar.Anchor, completed);
                    break;
                case AnchorAlias alias:
                    var name = alias.Value.Value;
                    if (!anchors.TryGetValue(name, out var target))
                    {
                        throw new YamlException($"yaml: line {ev.Start.Line}: unknown anchor '{name}' referenced", (int)ev.Start.Line, (int)ev.Start.Column);
                    }

                    completed = new YamlSourceNode(YamlNodeKind.Alias, (int)ev.Start.Line, (int)ev.Start.Column) { AnchorName = name, Target = target };
                    break;
                case SequenceStart seq:
                    {
                        var node = NewCollection(YamlNodeKind.Sequence, seq.Tag, ev);
                        Register(anchors, seq.Anchor, node);
                        var flow = seq.Style == SequenceStyle.Flow;
                        var indentless = !flow && open.Count > 0 && !open.Peek().Flow && open.Peek().Node.Kind == YamlNodeKind.Mapping
                            && open.Peek().Node.Column == node.Column;
                        Push(open, node, flow, !flow && !indentless, ref flowDepth, ref blockDepth, ev);
                        continue;
                    }

                case MappingStart map:
                    {
                        var node = NewCollection(YamlNodeKind.Mapping, map.Tag, ev);
                        Register(anchors, map.Anchor, node);
                        var flow = map.Style == MappingStyle.Flow;
                        Push(open, node, flow, !flow, ref flowDepth, ref blockDepth, ev);
                        continue;
                    }

                case SequenceEnd or MappingEnd:
                    {
                        var (node, flow, counts) = open.Pop();
                        if (node.Kind == YamlNodeKind.Mapping && node.Children.Count % 2 != 0)
                        {
                            // YamlDotNet drops the value of a key-less entry (": v" in a block mapping); go-yaml refuses it.
                            throw ParseErrorTranslator.Translate(
                                new SemanticErrorException(ev.Start, ev.End, "While parsing a block mapping, did not find expected key."),
                                new(node.Line, flow, Sequence: false), (int)ev.Start.Line, contextFirst);
                        }

                        if (flow)
                        {
                            flowDepth--;
                        }
                        else if (counts)
                        {
                            blockDepth--;
                        }

                        completed = node;
                        break;
                    }

                default:
                    throw new YamlException($"yaml: unexpected {ev.GetType().Name} event", (int)ev.Start.Line, (int)ev.Start.Column);
            }

            if (open.Count == 0)
            {
                root = completed;
            }
            else
            {
                open.Peek().Node.Children.Add(completed);
            }
        }
    }

    private static void Push(
        Stack<(YamlSourceNode, bool, bool)> open, YamlSourceNode node, bool flow, bool countsAsIndent,
        ref int flowDepth, ref int blockDepth, ParsingEvent ev)
    {
        if (flow)
        {
            flowDepth++;
        }
        else if (countsAsIndent)
        {
            blockDepth++;
        }

        if (flowDepth > MaxDepth || blockDepth > MaxDepth)
        {
            throw new YamlException(
                $"yaml: line {ev.Start.Line}: exceeded max depth of {MaxDepth} (document nested too deeply)",
                (int)ev.Start.Line, (int)ev.Start.Column);
        }

        open.Push((node, flow, countsAsIndent));
    }

    private static YamlSourceNode NewScalar(Scalar scalar, string source)
    {
        switch (scalar.Style)
        {
            case ScalarStyle.DoubleQuoted:
                GoSyntaxChecks.DoubleQuoted(source, (int)scalar.Start.Index, (int)scalar.End.Index, (int)scalar.Start.Line);
                break;
            case ScalarStyle.Literal or ScalarStyle.Folded:
                GoSyntaxChecks.BlockScalarTabs(source, (int)scalar.Start.Index, (int)scalar.End.Index, (int)scalar.Start.Line);
                break;
        }

        var tag = TagOf(scalar.Tag);
        var implicitResolution = (tag.Length == 0 && scalar.Style == ScalarStyle.Plain) || tag == "!";
        return new YamlSourceNode(YamlNodeKind.Scalar, (int)scalar.Start.Line, (int)scalar.Start.Column)
        {
            Tag = tag,
            Value = scalar.Value,
            Implicit = implicitResolution,
            Folded = scalar.Style == ScalarStyle.Folded,
        };
    }

    private static YamlSourceNode NewCollection(YamlNodeKind kind, TagName tag, ParsingEvent ev) =>
        new(kind, (int)ev.Start.Line, (int)ev.Start.Column) { Tag = TagOf(tag) };

    private static string TagOf(TagName tag)
    {
        if (tag.IsEmpty)
        {
            return "";
        }

        if (tag.IsNonSpecific)
        {
            return "!";
        }

        var value = tag.Value;
        return value.StartsWith("!!", StringComparison.Ordinal) ? YamlTagPrefix + value[2..] : value;
    }

    private static void Register(Dictionary<string, YamlSourceNode> anchors, AnchorName anchor, YamlSourceNode node)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }
    }

    /// <summary>The next event; any failure of YamlDotNet's becomes a <see cref="YamlException"/> worded as go-yaml's.</summary>
    private static ParsingEvent? Next(IParser parser, Stack<(YamlSourceNode Node, bool Flow, bool CountsAsIndent)>? open, bool contextFirst)
    {
        try
        {
            return parser.MoveNext() ? parser.Current : null;
        }
        catch (Exception e) when (e is not (YamlException or OutOfMemoryException))
        {
            ParseErrorTranslator.OpenCollection? context = open is { Count: > 0 }
                ? new(open.Peek().Node.Line, open.Peek().Flow, open.Peek().Node.Kind == YamlNodeKind.Sequence)
                : null;
            throw ParseErrorTranslator.Translate(e, context, (int)(parser.Current?.End.Line ?? 1), contextFirst);
        }
    }
}
