namespace Weir.Kustomize.Flux.Envsubst;

/// <summary>A variable's value, or whether it is unset (only strict lookups report unset variables).</summary>
public readonly record struct EnvsubstValue(string Value, bool Exists);

/// <summary>
/// Bash-like <c>${…}</c> expansion with drone/envsubst's grammar and results, as Flux's post-build substitution
/// runs it (Flux forked the library and added strict lookups).
/// </summary>
public static class EnvsubstEvaluator
{
    public const string VariableNotSet = "variable not set (strict mode)";

    /// <summary>Expands <paramref name="text"/>.</summary>
    /// <param name="text">The template.</param>
    /// <param name="lookup">A variable's value; <see cref="EnvsubstValue.Exists"/> false makes an expansion that has no
    /// default (every operator but <c>=</c>, <c>:=</c>, <c>:-</c>, <c>:?</c>, <c>:+</c>) an error.</param>
    /// <exception cref="EnvsubstException">A syntax error, or an unset variable under a strict lookup.</exception>
    public static string Evaluate(string text, Func<string, EnvsubstValue> lookup)
    {
        var output = new List<byte>(text.Length);
        foreach (var node in EnvsubstParser.Parse(text))
        {
            Write(node, lookup, output);
        }

        return Utf8Text.String(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(output));
    }

    private static void Write(EnvsubstNode node, Func<string, EnvsubstValue> lookup, List<byte> output)
    {
        switch (node)
        {
            case TextNode text:
                output.AddRange(text.Value);
                break;
            case ExpansionNode expansion:
                var args = new List<byte[]>(expansion.Arguments.Count);
                foreach (var argument in expansion.Arguments)
                {
                    var buffer = new List<byte>();
                    Write(argument, lookup, buffer);
                    args.Add([.. buffer]);
                }

                var value = lookup(expansion.Param);
                if (!value.Exists && !IsDefaultOperator(expansion.Operator))
                {
                    throw new EnvsubstException($"{VariableNotSet}: \"{expansion.Param}\"");
                }

                output.AddRange(EnvsubstFunctions.Apply(expansion.Operator, Utf8Text.Bytes(value.Value), args));
                break;
        }
    }

    private static bool IsDefaultOperator(string op) => op is "-" or "+" or "=" or "?" or ":-" or ":+" or ":=" or ":?";
}
