using System.Globalization;
using System.Text;
using Weir.Templates.Formatting;
using Weir.Templates.Values;
using static Weir.Templates.Functions.FunctionBuilder;
using static Weir.Templates.Functions.SprigValues;

namespace Weir.Templates.Functions;

/// <summary>Sprig's numeric functions (numeric.go and the arithmetic in functions.go).</summary>
internal static class MathFunctions
{
    public static IReadOnlyList<TemplateFunction> Create()
    {
        var b = new FunctionBuilder();
        b.Add("int64", [Any], static (_, a) => Value.Int64(ToInt64(a[0])));
        b.Add("int", [Any], static (_, a) => Value.Int(ToInt64(a[0])));
        b.Add("float64", [Any], static (_, a) => Value.Float(ToFloat64(a[0])));
        b.Variadic("seq", [Int], static (c, a) => Value.String(Seq(c, a)));
        b.Add("toDecimal", [Any], static (_, a) =>
        {
            var text = GoFmt.Sprint(a[0]);
            return Value.Int64(TryParseOctal(text, out var v) ? v : 0);
        });
        b.Add("add1", [Any], static (_, a) => Value.Int64(unchecked(ToInt64(a[0]) + 1)));
        b.Variadic("add", [Any], static (_, a) =>
        {
            long sum = 0;
            foreach (var v in a)
            {
                sum = unchecked(sum + ToInt64(v));
            }

            return Value.Int64(sum);
        });
        b.Add("sub", [Any, Any], static (_, a) => Value.Int64(unchecked(ToInt64(a[0]) - ToInt64(a[1]))));
        b.Add("div", [Any, Any], static (_, a) => Value.Int64(Div(ToInt64(a[0]), ToInt64(a[1]))));
        b.Add("mod", [Any, Any], static (_, a) =>
        {
            var d = ToInt64(a[1]);
            if (d == 0)
            {
                throw new TemplateFunctionException("runtime error: integer divide by zero");
            }

            return Value.Int64(d == -1 ? 0 : ToInt64(a[0]) % d);
        });
        b.Variadic("mul", [Any, Any], static (_, a) =>
        {
            var v = ToInt64(a[0]);
            foreach (var x in a[1..])
            {
                v = unchecked(v * ToInt64(x));
            }

            return Value.Int64(v);
        });
        b.Add("randInt", [Int, Int], static (c, a) =>
        {
            var n = a[1].RawInt - a[0].RawInt;
            if (n <= 0)
            {
                throw new TemplateFunctionException("invalid argument to Intn");
            }

            return Value.Int(c.Options.Random.NextInt64(n) + a[0].RawInt);
        });
        b.Add("add1f", [Any], static (_, a) => Value.Float(DecimalOp(ToFloat64(a[0]), [Value.Int(1)], '+')));
        b.Variadic("addf", [Any], static (_, a) => Value.Float(DecimalOp(0, a, '+')));
        b.Variadic("subf", [Any, Any], static (_, a) => Value.Float(DecimalOp(ToFloat64(a[0]), a[1..], '-')));
        b.Variadic("divf", [Any, Any], static (_, a) => Value.Float(DecimalOp(ToFloat64(a[0]), a[1..], '/')));
        b.Variadic("mulf", [Any, Any], static (_, a) => Value.Float(DecimalOp(ToFloat64(a[0]), a[1..], '*')));
        b.Variadic("biggest", [Any, Any], static (_, a) =>
        {
            var v = ToInt64(a[0]);
            foreach (var x in a[1..])
            {
                v = Math.Max(v, ToInt64(x));
            }

            return Value.Int64(v);
        });
        b.Alias("max", "biggest");
        b.Variadic("min", [Any, Any], static (_, a) =>
        {
            var v = ToInt64(a[0]);
            foreach (var x in a[1..])
            {
                v = Math.Min(v, ToInt64(x));
            }

            return Value.Int64(v);
        });
        b.Variadic("maxf", [Any, Any], static (_, a) =>
        {
            var v = ToFloat64(a[0]);
            foreach (var x in a[1..])
            {
                v = GoMax(v, ToFloat64(x));
            }

            return Value.Float(v);
        });
        b.Variadic("minf", [Any, Any], static (_, a) =>
        {
            var v = ToFloat64(a[0]);
            foreach (var x in a[1..])
            {
                v = GoMin(v, ToFloat64(x));
            }

            return Value.Float(v);
        });
        b.Add("ceil", [Any], static (_, a) => Value.Float(Math.Ceiling(ToFloat64(a[0]))));
        b.Add("floor", [Any], static (_, a) => Value.Float(Math.Floor(ToFloat64(a[0]))));
        b.Variadic("round", [Any, Int, Float], static (_, a) =>
        {
            var roundOn = a.Length > 2 ? a[2].AsFloat : 0.5;
            var val = ToFloat64(a[0]);
            var pow = Math.Pow(10, a[1].RawInt);
            var digit = pow * val;
            var frac = digit - Math.Truncate(digit);
            var r = frac >= roundOn ? Math.Ceiling(digit) : Math.Floor(digit);
            return Value.Float(r / pow);
        });
        return b.Functions;
    }

    private static double GoMax(double x, double y)
    {
        if (double.IsPositiveInfinity(x) || double.IsPositiveInfinity(y))
        {
            return double.PositiveInfinity;
        }

        if (double.IsNaN(x) || double.IsNaN(y))
        {
            return double.NaN;
        }

        return Math.Max(x, y);
    }

    private static double GoMin(double x, double y)
    {
        if (double.IsNegativeInfinity(x) || double.IsNegativeInfinity(y))
        {
            return double.NegativeInfinity;
        }

        if (double.IsNaN(x) || double.IsNaN(y))
        {
            return double.NaN;
        }

        return Math.Min(x, y);
    }

    private static long Div(long a, long b)
    {
        if (b == 0)
        {
            throw new TemplateFunctionException("runtime error: integer divide by zero");
        }

        return b == -1 ? unchecked(-a) : a / b;
    }

    private static bool TryParseOctal(string s, out long v)
    {
        v = 0;
        var body = s;
        var neg = false;
        if (body.Length > 0 && body[0] is '+' or '-')
        {
            neg = body[0] == '-';
            body = body[1..];
        }

        if (body.Length == 0)
        {
            return false;
        }

        ulong u = 0;
        foreach (var c in body)
        {
            if (c is '_' or < '0' or > '7')
            {
                return false;
            }

            if (u > (ulong.MaxValue >> 3))
            {
                return false;
            }

            u = (u << 3) | (uint)(c - '0');
        }

        if (neg ? u > 1UL << 63 : u > long.MaxValue)
        {
            return false;
        }

        v = neg ? unchecked(-(long)u) : (long)u;
        return true;
    }

    private static string Seq(ExecutionContext c, ReadOnlySpan<Value> p)
    {
        long start, end, step;
        switch (p.Length)
        {
            case 1:
                start = 1;
                end = p[0].RawInt;
                step = end < start ? -1 : 1;
                return Join(ListFunctions.UntilStep(c, start, end + step, step));
            case 2:
                start = p[0].RawInt;
                end = p[1].RawInt;
                step = end < start ? -1 : 1;
                return Join(ListFunctions.UntilStep(c, start, end + step, step));
            case 3:
                start = p[0].RawInt;
                end = p[2].RawInt;
                step = p[1].RawInt;
                var increment = 1;
                if (end < start)
                {
                    increment = -1;
                    if (step > 0)
                    {
                        return "";
                    }
                }

                return Join(ListFunctions.UntilStep(c, start, end + increment, step));
            default:
                return "";
        }
    }

    private static string Join(Value list)
    {
        var sb = new StringBuilder();
        foreach (var v in list.AsList.AsSpan())
        {
            if (sb.Length > 0)
            {
                sb.Append(' ');
            }

            sb.Append(v.RawInt);
        }

        return sb.ToString();
    }

    /// <summary>shopspring/decimal arithmetic as Sprig's *f functions use it: exact decimals from each float's shortest text.</summary>
    private static double DecimalOp(double first, ReadOnlySpan<Value> rest, char op)
    {
        try
        {
            var acc = ToDecimal(first);
            foreach (var x in rest)
            {
                var d = ToDecimal(ToFloat64(x));
                acc = op switch
                {
                    '+' => acc + d,
                    '-' => acc - d,
                    '*' => acc * d,
                    _ => d == 0 ? throw new TemplateFunctionException("decimal division by 0") : Math.Round(acc / d, 16, MidpointRounding.AwayFromZero),
                };
            }

            return double.Parse(acc.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }
        catch (OverflowException)
        {
            var acc = first;
            foreach (var x in rest)
            {
                var d = ToFloat64(x);
                acc = op switch
                {
                    '+' => acc + d,
                    '-' => acc - d,
                    '*' => acc * d,
                    _ => acc / d,
                };
            }

            return acc;
        }
    }

    private static decimal ToDecimal(double f)
    {
        if (double.IsNaN(f) || double.IsInfinity(f))
        {
            throw new OverflowException();
        }

        return decimal.Parse(f.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
