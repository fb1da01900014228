using System.Runtime.CompilerServices;
using System.Text;
using Weir.Templates.Formatting;
using Weir.Templates.Functions;
using Weir.Templates.Parsing;
using Weir.Templates.Values;

namespace Weir.Templates.Execution;

/// <summary>
/// Executes parsed trees with the semantics of Go's text/template exec: one instance per execution (its
/// variable stack, output and counters), so a compiled <see cref="TemplateSet"/> can run on many threads at once.
/// </summary>
internal sealed class Executor : ExecutionContext
{
    private static readonly object Unset = new();

    // Stacks larger than this are not kept for the next execution on the thread.
    private const int RetainedStack = 4096;

    [ThreadStatic]
    private static Executor? cached;

    private TemplateSet set = null!;
    private TemplateOptions options = null!;
    private long maxSteps;
    private int maxOutput;
    private StringBuilder output = null!;
    private Value[] stack = new Value[64];
    private int frameBase;
    private int frameSize;
    private int frameHeight;
    private int stackHighWater;
    private Value[] args = new Value[64];
    private int argTop;
    private long steps;
    private int depth;
    private Node? current;
    private string templateName = "";
    private List<Dictionary<string, ParsedTree>>? overlays;

    private Executor()
    {
    }

    /// <summary>
    /// An executor for one execution, reused across executions on the same thread (a nested execution on the thread
    /// gets a new one); hand it back with <see cref="Release"/>.
    /// </summary>
    public static Executor Rent(TemplateSet set, StringBuilder output)
    {
        var e = cached ?? new Executor();
        cached = null;
        e.set = set;
        e.options = set.Options;
        e.maxSteps = e.options.MaxSteps;
        e.maxOutput = e.options.MaxOutputChars;
        e.output = output;
        return e;
    }

    /// <summary>Forgets the execution (nothing of its data stays reachable) and keeps the executor for the thread's next one.</summary>
    public void Release()
    {
        if (stack.Length > RetainedStack || args.Length > RetainedStack)
        {
            return;
        }

        // Calls clear their arguments as they return; frames are cleared as far as they reached.
        Array.Clear(stack, 0, stackHighWater);
        (frameBase, frameSize, frameHeight, stackHighWater, argTop, steps, depth) = (0, 0, 0, 0, 0, 0, 0);
        (set, options, output, current, templateName, overlays) = (null!, null!, null!, null, "", null);
        cached = this;
    }

    public override TemplateOptions Options => options;

    public override string TemplateName => templateName;

    private enum Flow
    {
        Normal,
        Break,
        Continue,
    }

    public void Run(ParsedTree tree, Value data)
    {
        // reflect.ValueOf(nil) is no value at all.
        data = data.Indirect;
        templateName = tree.Name;
        EnterFrame(tree.FrameSize, data);
        Walk(data, tree.Root);
    }

    private TemplateException Error(string message)
    {
        var name = templateName;
        if (current is null)
        {
            return new TemplateException($"template: {name}: {message}");
        }

        var location = current.Source.Location(current.Pos);
        return new TemplateException($"template: {location}: executing {GoQuote.Quote(name)} at <{current}>: {message}");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Step()
    {
        if (++steps > maxSteps)
        {
            throw LimitError($"evaluation exceeded {maxSteps} steps");
        }
    }

    private TemplateLimitException LimitError(string message)
    {
        var at = current is null ? templateName : current.Source.Location(current.Pos);
        return new TemplateLimitException($"template: {at}: executing {GoQuote.Quote(templateName)}: {message}");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void CheckOutput()
    {
        if (output.Length > maxOutput)
        {
            throw LimitError($"output exceeds {maxOutput} characters");
        }
    }

    // ---- variables ----

    private void EnterFrame(int size, in Value dollar)
    {
        var need = frameBase + frameSize + size;
        if (need > stack.Length)
        {
            Array.Resize(ref stack, Math.Max(need, stack.Length * 2));
        }

        frameBase += frameSize;
        frameSize = size;
        stackHighWater = Math.Max(stackHighWater, frameBase + size);
        for (var i = 0; i < size; i++)
        {
            stack[frameBase + i] = new Value(Unset, 0);
        }

        stack[frameBase] = dollar;
        frameHeight = 1;
    }

    private void SetSlot(int slot, in Value v)
    {
        stack[frameBase + slot] = v;
        if (slot >= frameHeight)
        {
            frameHeight = slot + 1;
        }
    }

    private void Pop(int mark)
    {
        for (var i = mark; i < frameHeight; i++)
        {
            stack[frameBase + i] = new Value(Unset, 0);
        }

        if (frameHeight > mark)
        {
            frameHeight = mark;
        }
    }

    private Value VarValue(VariableNode v)
    {
        foreach (var slot in v.Slots)
        {
            var value = stack[frameBase + slot];
            if (!ReferenceEquals(value.Ref, Unset))
            {
                return value;
            }
        }

        throw Error("undefined variable: " + v.Ident[0]);
    }

    private void SetVar(VariableNode v, in Value value)
    {
        foreach (var slot in v.Slots)
        {
            if (!ReferenceEquals(stack[frameBase + slot].Ref, Unset))
            {
                stack[frameBase + slot] = value;
                return;
            }
        }

        throw Error("undefined variable: " + v.Ident[0]);
    }

    // ---- walking ----

    private Flow Walk(in Value dot, Node node)
    {
        current = node;
        switch (node.Kind)
        {
            case NodeKind.List:
                foreach (var n in ((ListNode)node).Nodes)
                {
                    var flow = Walk(dot, n);
                    if (flow != Flow.Normal)
                    {
                        return flow;
                    }
                }

                return Flow.Normal;
            case NodeKind.Text:
                output.Append(((TextNode)node).Text);
                CheckOutput();
                return Flow.Normal;
            case NodeKind.Action:
                var action = (ActionNode)node;
                var val = EvalPipeline(dot, action.Pipe);
                if (action.Pipe.Decl.Count == 0)
                {
                    current = node;
                    PrintValue(val);
                }

                return Flow.Normal;
            case NodeKind.If:
            case NodeKind.With:
                return WalkIfOrWith(dot, (BranchNode)node);
            case NodeKind.Range:
                return WalkRange(dot, (BranchNode)node);
            case NodeKind.Template:
                WalkTemplate(dot, (TemplateNode)node);
                return Flow.Normal;
            case NodeKind.Break:
                return Flow.Break;
            case NodeKind.Continue:
                return Flow.Continue;
            case NodeKind.Comment:
                return Flow.Normal;
            default:
                throw Error("unknown node: " + node);
        }
    }

    private void PrintValue(in Value v)
    {
        if (!v.IsValid)
        {
            output.Append("<no value>");
        }
        else
        {
            GoFmt.AppendValue(output, v);
        }

        CheckOutput();
    }

    private Flow WalkIfOrWith(in Value dot, BranchNode node)
    {
        var mark = frameHeight;
        var val = EvalPipeline(dot, node.Pipe);
        var truth = GoValues.IsTrue(val.Indirect);
        Flow flow;
        if (truth)
        {
            flow = WalkGuarded(node.Kind == NodeKind.With ? val : dot, node.List);
        }
        else if (node.ElseList is not null)
        {
            flow = WalkGuarded(dot, node.ElseList);
        }
        else
        {
            flow = Flow.Normal;
        }

        Pop(mark);
        return flow;
    }

    // The hops are separate methods so that the closures they need are only allocated when a hop happens.
    private Flow WalkGuarded(Value dot, Node node) =>
        RuntimeHelpers.TryEnsureSufficientExecutionStack() ? Walk(dot, node) : WalkOnNewThread(dot, node);

    private Flow WalkOnNewThread(Value dot, Node node) => StackHop.OnNewThread(() => Walk(dot, node));

    private Value EvalPipelineGuarded(Value dot, PipeNode pipe) =>
        RuntimeHelpers.TryEnsureSufficientExecutionStack() ? EvalPipeline(dot, pipe) : EvalPipelineOnNewThread(dot, pipe);

    private Value EvalPipelineOnNewThread(Value dot, PipeNode pipe) => StackHop.OnNewThread(() => EvalPipeline(dot, pipe));

    private Flow WalkRange(in Value dot, BranchNode node)
    {
        current = node;
        var mark = frameHeight;
        var val = EvalPipeline(dot, node.Pipe).Indirect;
        var decl = node.Pipe.Decl;
        var innerMark = frameHeight;
        var ran = false;
        switch (val.Ref)
        {
            case GoList list:
                for (var i = 0; i < list.Count; i++)
                {
                    ran = true;
                    if (RangeIteration(decl, Value.Int(i), list[i], node, innerMark) == Flow.Break)
                    {
                        break;
                    }
                }

                break;
            case GoMap map:
                foreach (var key in map.SortedKeys())
                {
                    if (!map.TryGet(key, out var elem))
                    {
                        continue;
                    }

                    ran = true;
                    if (RangeIteration(decl, Value.String(key), elem, node, innerMark) == Flow.Break)
                    {
                        break;
                    }
                }

                break;
            case GoType t when t.IsInteger:
                if (decl.Count > 1)
                {
                    current = node;
                    throw Error($"can't use {GoFmt.Sprint(val)} to iterate over more than one variable");
                }

                var n = t.IsSigned ? val.Bits : (long)Math.Min(val.RawUInt, long.MaxValue);
                for (long i = 0; i < n; i++)
                {
                    ran = true;
                    var elem = new Value(t, i);
                    if (RangeIteration(decl, elem, elem, node, innerMark) == Flow.Break)
                    {
                        break;
                    }
                }

                break;
            case null:
                break;
            default:
                // Go reports the last node the pipeline evaluated.
                throw Error("range can't iterate over " + GoFmt.Sprint(val));
        }

        if (!ran && node.ElseList is not null)
        {
            Walk(dot, node.ElseList);
        }

        Pop(mark);
        return Flow.Normal;
    }

    private Flow RangeIteration(List<VariableNode> decl, in Value index, in Value elem, BranchNode node, int mark)
    {
        Step();
        if (decl.Count > 0)
        {
            SetSlot(decl[^1].DeclSlot, elem);
        }

        if (decl.Count > 1)
        {
            SetSlot(decl[0].DeclSlot, index);
        }

        var flow = WalkGuarded(elem, node.List);
        Pop(mark);
        return flow == Flow.Break ? Flow.Break : Flow.Normal;
    }

    private ParsedTree? Lookup(string name)
    {
        if (overlays is not null)
        {
            for (var i = overlays.Count - 1; i >= 0; i--)
            {
                if (overlays[i].TryGetValue(name, out var t))
                {
                    return t;
                }
            }
        }

        return set.Find(name);
    }

    private void WalkTemplate(in Value dot, TemplateNode node)
    {
        current = node;
        var tree = Lookup(node.Name) ?? throw Error($"template {GoQuote.Quote(node.Name)} not defined");
        if (depth >= options.MaxTemplateDepth)
        {
            throw Error($"exceeded maximum template depth ({options.MaxTemplateDepth})");
        }

        var newDot = EvalPipeline(dot, node.Pipe);
        CallTree(tree, newDot);
    }

    private void CallTree(ParsedTree tree, Value dot)
    {
        var (savedBase, savedSize, savedHeight, savedName) = (frameBase, frameSize, frameHeight, templateName);
        depth++;
        try
        {
            templateName = tree.Name;
            EnterFrame(tree.FrameSize, dot);
            WalkGuarded(dot, tree.Root);
        }
        finally
        {
            depth--;
            (frameBase, frameSize, frameHeight, templateName) = (savedBase, savedSize, savedHeight, savedName);
        }
    }

    // ---- pipelines and commands ----

    private Value EvalPipeline(in Value dot, PipeNode? pipe)
    {
        if (pipe is null)
        {
            return default;
        }

        current = pipe;
        var value = default(Value);
        var hasFinal = false;
        foreach (var cmd in pipe.Cmds)
        {
            value = EvalCommand(dot, cmd, value, hasFinal);
            hasFinal = true;
            if (value.IsNil)
            {
                value = default;
            }
        }

        foreach (var v in pipe.Decl)
        {
            if (pipe.IsAssign)
            {
                SetVar(v, value);
            }
            else
            {
                SetSlot(v.DeclSlot, value);
            }
        }

        return value;
    }

    private void NotAFunction(Node[] args, bool hasFinal)
    {
        if (args.Length > 1 || hasFinal)
        {
            throw Error("can't give argument to non-function " + args[0]);
        }
    }

    private Value EvalCommand(in Value dot, CommandNode cmd, in Value final, bool hasFinal)
    {
        Step();
        var first = cmd.Args[0];
        switch (first.Kind)
        {
            case NodeKind.Field:
                return EvalFieldNode(dot, (FieldNode)first, cmd.Args, final, hasFinal);
            case NodeKind.Chain:
                return EvalChainNode(dot, (ChainNode)first, cmd.Args, final, hasFinal);
            case NodeKind.Identifier:
                var id = (IdentifierNode)first;
                current = id;
                return EvalCall(dot, id.Function, null, cmd, id.Name, cmd.Args, final, hasFinal);
            case NodeKind.Pipe:
                NotAFunction(cmd.Args, hasFinal);
                return EvalPipelineGuarded(dot, (PipeNode)first);
            case NodeKind.Variable:
                return EvalVariableNode(dot, (VariableNode)first, cmd.Args, final, hasFinal);
        }

        current = first;
        NotAFunction(cmd.Args, hasFinal);
        switch (first.Kind)
        {
            case NodeKind.Bool:
                return Value.Bool(((BoolNode)first).True);
            case NodeKind.Dot:
                return dot;
            case NodeKind.Nil:
                throw Error("nil is not a command");
            case NodeKind.Number:
                return IdealConstant((NumberNode)first);
            case NodeKind.String:
                return ((StringNode)first).Value;
        }

        throw Error($"can't evaluate command {GoQuote.Quote(first.ToString())}");
    }

    private Value IdealConstant(NumberNode c)
    {
        current = c;
        if (c.IsComplex)
        {
            return Value.Complex(c.Float64, c.Imaginary);
        }

        var text = c.Text;
        var isHexInt = text.Length > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X') && text.IndexOfAny(['p', 'P']) < 0;
        var isRuneInt = text.Length > 0 && text[0] == '\'';
        if (c.IsFloat && !isHexInt && !isRuneInt && text.IndexOfAny(['.', 'e', 'E', 'p', 'P']) >= 0)
        {
            return Value.Float(c.Float64);
        }

        if (c.IsInt)
        {
            return Value.Int(c.Int64);
        }

        if (c.IsUint)
        {
            throw Error($"{text} overflows int");
        }

        return default;
    }

    private Value EvalFieldNode(in Value dot, FieldNode field, Node[]? args, in Value final, bool hasFinal)
    {
        current = field;
        return EvalFieldChain(dot, dot, field, field.Ident, 0, args, final, hasFinal);
    }

    private Value EvalChainNode(in Value dot, ChainNode chain, Node[]? args, in Value final, bool hasFinal)
    {
        current = chain;
        if (chain.Node.Kind == NodeKind.Nil)
        {
            throw Error("indirection through explicit nil in " + chain);
        }

        var pipe = EvalArg(dot, null, chain.Node);
        return EvalFieldChain(dot, pipe, chain, chain.Fields, 0, args, final, hasFinal);
    }

    private Value EvalVariableNode(in Value dot, VariableNode variable, Node[]? args, in Value final, bool hasFinal)
    {
        current = variable;
        var value = VarValue(variable);
        if (variable.Ident.Length == 1)
        {
            if (args is not null)
            {
                NotAFunction(args, hasFinal);
            }

            return value;
        }

        return EvalFieldChain(dot, value, variable, variable.Ident, 1, args, final, hasFinal);
    }

    private Value EvalFieldChain(in Value dot, Value receiver, Node node, string[] ident, int start, Node[]? args, in Value final, bool hasFinal)
    {
        var n = ident.Length;
        for (var i = start; i < n - 1; i++)
        {
            receiver = EvalField(dot, ident[i], node, null, default, false, receiver);
        }

        return EvalField(dot, ident[n - 1], node, args, final, hasFinal, receiver);
    }

    private Value EvalField(in Value dot, string fieldName, Node node, Node[]? args, in Value final, bool hasFinal, in Value receiver)
    {
        if (!receiver.IsValid)
        {
            if (options.MissingKey == MissingKeyMode.Error)
            {
                throw Error($"nil data; no entry for key {GoQuote.Quote(fieldName)}");
            }

            return default;
        }

        var hasArgs = (args is not null && args.Length > 1) || hasFinal;
        switch (receiver.Ref)
        {
            case GoMap map:
                if (map.Type.HasMethods && map.Type.FindMethod(fieldName) is { } mm)
                {
                    return EvalCall(dot, mm.Function, receiver, node, fieldName, args, final, hasFinal);
                }

                if (hasArgs)
                {
                    throw Error($"{fieldName} is not a method but has arguments");
                }

                if (map.TryGet(fieldName, out var result))
                {
                    return result;
                }

                switch (options.MissingKey)
                {
                    case MissingKeyMode.Zero:
                        return map.ZeroValue;
                    case MissingKeyMode.Error:
                        throw Error($"map has no entry for key {GoQuote.Quote(fieldName)}");
                    default:
                        return default;
                }

            case GoObject obj:
                if (obj.Type.FindMethod(fieldName) is { } om)
                {
                    return EvalCall(dot, om.Function, receiver, node, fieldName, args, final, hasFinal);
                }

                if (obj.TryGetField(fieldName, out var field))
                {
                    if (hasArgs)
                    {
                        throw Error($"{fieldName} has arguments but cannot be invoked as function");
                    }

                    return field;
                }

                break;
            case GoList list when list.Type.HasMethods && list.Type.FindMethod(fieldName) is { } lm:
                return EvalCall(dot, lm.Function, receiver, node, fieldName, args, final, hasFinal);
            case NilMarker:
                throw Error($"nil pointer evaluating interface {{}}.{fieldName}");
            case GoType t when t.HasMethods && t.FindMethod(fieldName) is { } tm:
                return EvalCall(dot, tm.Function, receiver, node, fieldName, args, final, hasFinal);
            case string when GoType.String.HasMethods && GoType.String.FindMethod(fieldName) is { } sm:
                return EvalCall(dot, sm.Function, receiver, node, fieldName, args, final, hasFinal);
        }

        throw Error($"can't evaluate field {fieldName} in type {receiver.Type!.Name}");
    }

    private Value EvalCall(in Value dot, TemplateFunction fn, Value? receiver, Node node, string name, Node[]? argNodes, in Value final, bool hasFinal)
    {
        var argCount = argNodes is null ? 0 : argNodes.Length - 1;
        var numIn = argCount + (hasFinal ? 1 : 0);
        var parameters = fn.Parameters;
        var numFixed = argCount;
        if (fn.Variadic)
        {
            numFixed = parameters.Length - 1;
            if (numIn < numFixed)
            {
                throw Error($"wrong number of args for {name}: want at least {parameters.Length - 1} got {argCount}");
            }
        }
        else if (numIn != parameters.Length)
        {
            throw Error($"wrong number of args for {name}: want {parameters.Length} got {numIn}");
        }

        if (fn.Special is SpecialForm.And or SpecialForm.Or)
        {
            var isOr = fn.Special == SpecialForm.Or;
            Value v = default;
            for (var i = 1; i <= argCount; i++)
            {
                v = EvalArg(dot, GoType.ReflectValue, argNodes![i]);
                if (GoValues.IsTrue(v.Indirect) == isOr)
                {
                    return v;
                }
            }

            if (hasFinal)
            {
                v = ValidateType(final, GoType.ReflectValue);
            }

            return v;
        }

        var offset = receiver.HasValue ? 1 : 0;
        var total = numIn + offset;
        if (argTop + total > args.Length)
        {
            Array.Resize(ref args, Math.Max(args.Length * 2, argTop + total));
        }

        var baseIndex = argTop;
        argTop += total;
        try
        {
            if (receiver.HasValue)
            {
                args[baseIndex] = receiver.Value;
            }

            var i = 0;
            for (; i < numFixed && i < argCount; i++)
            {
                args[baseIndex + offset + i] = EvalArg(dot, parameters[i], argNodes![i + 1]);
            }

            if (fn.Variadic)
            {
                var elem = parameters[^1];
                for (; i < argCount; i++)
                {
                    args[baseIndex + offset + i] = EvalArg(dot, elem, argNodes![i + 1]);
                }
            }

            if (hasFinal)
            {
                GoType t;
                if (fn.Variadic)
                {
                    t = numIn - 1 < numFixed ? parameters[numIn - 1] : parameters[^1];
                }
                else
                {
                    t = parameters[^1];
                }

                args[baseIndex + offset + i] = ValidateType(final, t);
            }

            current = node;
            try
            {
                return fn.Body(this, new ReadOnlySpan<Value>(args, baseIndex, total));
            }
            catch (Exception e) when (e is not TemplateLimitException)
            {
                current = node;
                throw Error($"error calling {name}: {e.Message}");
            }
        }
        finally
        {
            Array.Clear(args, baseIndex, total);
            argTop = baseIndex;
        }
    }

    private static bool Assignable(GoType from, GoType to)
    {
        if (ReferenceEquals(from, to) || to.Kind == GoKind.Interface)
        {
            return true;
        }

        // Identical underlying composite types where one side is unnamed (e.g. a named map type to map[string]interface {}).
        return from.Kind == to.Kind && from.Kind is GoKind.Map or GoKind.Slice && from.Elem == to.Elem
            && (from.Name.StartsWith('[') || from.Name.StartsWith("map[", StringComparison.Ordinal)
                || to.Name.StartsWith('[') || to.Name.StartsWith("map[", StringComparison.Ordinal));
    }

    private Value ValidateType(in Value value, GoType? typ)
    {
        if (!value.IsValid)
        {
            if (typ is null || ReferenceEquals(typ, GoType.ReflectValue))
            {
                return default;
            }

            if (typ.CanBeNil)
            {
                return typ.Kind switch
                {
                    GoKind.Map => Value.Map(GoMap.Nil(typ)),
                    GoKind.Slice => Value.List(new GoList(typ, [])),
                    _ => Value.Nil,
                };
            }

            throw Error("invalid value; expected " + typ.Name);
        }

        if (typ is null || ReferenceEquals(typ, GoType.ReflectValue))
        {
            return value;
        }

        var vt = value.Type!;
        if (!Assignable(vt, typ))
        {
            throw Error($"wrong type for value; expected {typ.Name}; got {vt.Name}");
        }

        return value;
    }

    private Value EvalArg(in Value dot, GoType? typ, Node n)
    {
        current = n;
        switch (n.Kind)
        {
            case NodeKind.Dot:
                return ValidateType(dot, typ);
            case NodeKind.Nil:
                if (typ is null || ReferenceEquals(typ, GoType.ReflectValue))
                {
                    return default;
                }

                if (typ.CanBeNil)
                {
                    return ValidateType(default, typ);
                }

                throw Error("cannot assign nil to " + typ.Name);
            case NodeKind.Field:
                var field = (FieldNode)n;
                return ValidateType(EvalFieldNode(dot, field, [n], default, false), typ);
            case NodeKind.Variable:
                return ValidateType(EvalVariableNode(dot, (VariableNode)n, null, default, false), typ);
            case NodeKind.Pipe:
                return ValidateType(EvalPipelineGuarded(dot, (PipeNode)n), typ);
            case NodeKind.Identifier:
                var id = (IdentifierNode)n;
                return ValidateType(EvalCall(dot, id.Function, null, id, id.Name, null, default, false), typ);
            case NodeKind.Chain:
                return ValidateType(EvalChainNode(dot, (ChainNode)n, null, default, false), typ);
        }

        typ ??= GoType.Interface;
        switch (typ.Kind)
        {
            case GoKind.Bool:
                if (n is BoolNode b)
                {
                    return Value.Bool(b.True);
                }

                throw Error("expected bool; found " + n);
            case GoKind.Complex128:
                if (n is NumberNode { IsComplex: true } cn)
                {
                    return Value.Complex(cn.Float64, cn.Imaginary);
                }

                throw Error("expected complex; found " + n);
            case GoKind.Float32 or GoKind.Float64:
                if (n is NumberNode { IsFloat: true } fn)
                {
                    return new Value(typ, BitConverter.DoubleToInt64Bits(fn.Float64));
                }

                throw Error("expected float; found " + n);
            case GoKind.Int or GoKind.Int8 or GoKind.Int16 or GoKind.Int32 or GoKind.Int64:
                if (n is NumberNode { IsInt: true } inode)
                {
                    return new Value(typ, inode.Int64);
                }

                throw Error("expected integer; found " + n);
            case GoKind.Interface:
                return EvalEmptyInterface(n);
            case GoKind.String:
                if (n is StringNode s)
                {
                    return s.Value;
                }

                throw Error("expected string; found " + n);
            case GoKind.Uint or GoKind.Uint8 or GoKind.Uint16 or GoKind.Uint32 or GoKind.Uint64 or GoKind.Uintptr:
                if (n is NumberNode { IsUint: true } un)
                {
                    var bits = typ.Kind switch
                    {
                        GoKind.Uint8 => un.Uint64 & 0xFF,
                        GoKind.Uint16 => un.Uint64 & 0xFFFF,
                        GoKind.Uint32 => un.Uint64 & 0xFFFFFFFF,
                        _ => un.Uint64,
                    };
                    return new Value(typ, unchecked((long)bits));
                }

                throw Error("expected unsigned integer; found " + n);
            case GoKind.Struct when ReferenceEquals(typ, GoType.ReflectValue):
                return EvalEmptyInterface(n);
        }

        throw Error($"can't handle {n} for arg of type {typ.Name}");
    }

    private Value EvalEmptyInterface(Node n)
    {
        current = n;
        switch (n)
        {
            case BoolNode b:
                return Value.Bool(b.True);
            case NumberNode num:
                return IdealConstant(num);
            case StringNode s:
                return s.Value;
            case NilNode:
                throw Error("evalEmptyInterface: nil (can't happen)");
        }

        throw Error($"can't handle assignment of {n} to empty interface argument");
    }

    // ---- template calls from functions ----

    public override string Include(string name, Value data)
    {
        data = data.Indirect;
        var tree = Lookup(name) ?? throw new TemplateFunctionException($"template: no template {GoQuote.Quote(name)} associated with template {GoQuote.Quote(set.RootName)}");
        return Capture(tree, data);
    }

    private string Capture(ParsedTree tree, Value data)
    {
        if (depth >= options.MaxTemplateDepth)
        {
            throw LimitError($"rendering template has a nested reference name: {tree.Name}: exceeded maximum template depth ({options.MaxTemplateDepth})");
        }

        var saved = output;
        var savedCurrent = current;
        var buffer = new StringBuilder();
        output = buffer;
        try
        {
            CallTree(tree, data);
        }
        finally
        {
            output = saved;
            current = savedCurrent;
        }

        return buffer.ToString();
    }

    public override string Tpl(string text, Value data)
    {
        data = data.Indirect;
        var trees = set.ParseTpl(templateName, text);
        overlays ??= [];
        overlays.Add(trees);
        try
        {
            var result = Capture(trees[templateName], data);
            return options.RemoveNoValue ? result.Replace("<no value>", "", StringComparison.Ordinal) : result;
        }
        finally
        {
            overlays.RemoveAt(overlays.Count - 1);
        }
    }
}
