using Weir.Templates.Values;
using static Weir.Templates.Functions.FunctionBuilder;

namespace Weir.Templates.Functions;

/// <summary>Sprig's reflect.go: typeOf, typeIs, typeIsLike, kindOf, kindIs, deepEqual.</summary>
internal static class ReflectionFunctions
{
    public static IReadOnlyList<TemplateFunction> Create()
    {
        var b = new FunctionBuilder();
        b.Add("typeOf", [Any], static (_, a) => Value.String(TypeName(a[0])));
        b.Add("typeIs", [Str, Any], static (_, a) => Value.Bool(a[0].AsString == TypeName(a[1])));
        b.Add("typeIsLike", [Str, Any], static (_, a) =>
        {
            var t = TypeName(a[1]);
            return Value.Bool(a[0].AsString == t || "*" + a[0].AsString == t);
        });
        b.Add("kindOf", [Any], static (_, a) => Value.String(SprigValues.KindName(a[0])));
        b.Add("kindIs", [Str, Any], static (_, a) => Value.Bool(a[0].AsString == SprigValues.KindName(a[1])));
        b.Add("deepEqual", [Any, Any], static (_, a) => Value.Bool(GoValues.DeepEqual(a[0], a[1])));
        return b.Functions;
    }

    private static string TypeName(in Value v) => v.IsNothing ? "<nil>" : v.Type!.Name;
}
