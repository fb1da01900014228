using System.Globalization;
using System.Text;
using Weir.Templates.Values;

namespace Weir.Templates.Formatting;

/// <summary>
/// Go's fmt package over template values: Sprint, Sprintln and Sprintf with every verb, flag, width, precision
/// and argument index, and fmt's error forms (<c>%!d(string=x)</c>, <c>%!(EXTRA …)</c>, <c>%!v(MISSING)</c>).
/// </summary>
public static class GoFmt
{
    [ThreadStatic]
    private static Printer? cached;

    private static Printer Rent(StringBuilder sb)
    {
        var p = cached ?? new Printer();
        cached = null;
        p.Buf = sb;
        return p;
    }

    private static void Return(Printer p)
    {
        p.Buf = null!;
        cached = p;
    }

    /// <summary>fmt.Sprint of one value.</summary>
    public static string Sprint(in Value v)
    {
        if (v.Ref is string s)
        {
            return s;
        }

        var sb = new StringBuilder();
        AppendValue(sb, v);
        return sb.ToString();
    }

    /// <summary>Appends fmt.Sprint(v): the %v form of one operand.</summary>
    public static void AppendValue(StringBuilder sb, in Value v)
    {
        switch (v.Ref)
        {
            case string s:
                sb.Append(s);
                return;
            case GoType t when t.Stringer is null:
                if (t.IsSigned)
                {
                    sb.Append(v.Bits);
                    return;
                }

                if (t.Kind == GoKind.Float64)
                {
                    GoFloatFormat.Append(sb, v.AsFloat, 'g', -1, 64);
                    return;
                }

                if (t.Kind == GoKind.Bool)
                {
                    sb.Append(v.Bits != 0 ? "true" : "false");
                    return;
                }

                break;
        }

        var p = Rent(sb);
        try
        {
            p.Clear();
            p.PrintArg(v, 'v');
        }
        finally
        {
            Return(p);
        }
    }

    /// <summary>fmt.Sprint: operands separated by a space when neither side is a string.</summary>
    public static void Sprint(StringBuilder sb, ReadOnlySpan<Value> args)
    {
        var p = Rent(sb);
        try
        {
            var prevString = false;
            for (var i = 0; i < args.Length; i++)
            {
                var isString = args[i].Ref is string;
                if (i > 0 && !isString && !prevString)
                {
                    sb.Append(' ');
                }

                p.Clear();
                p.PrintArg(args[i], 'v');
                prevString = isString;
            }
        }
        finally
        {
            Return(p);
        }
    }

    public static string Sprint(ReadOnlySpan<Value> args)
    {
        var sb = new StringBuilder();
        Sprint(sb, args);
        return sb.ToString();
    }

    /// <summary>fmt.Sprintln: operands always separated by spaces, then a newline.</summary>
    public static void Sprintln(StringBuilder sb, ReadOnlySpan<Value> args)
    {
        var p = Rent(sb);
        try
        {
            for (var i = 0; i < args.Length; i++)
            {
                if (i > 0)
                {
                    sb.Append(' ');
                }

                p.Clear();
                p.PrintArg(args[i], 'v');
            }

            sb.Append('\n');
        }
        finally
        {
            Return(p);
        }
    }

    public static void Sprintf(StringBuilder sb, string format, ReadOnlySpan<Value> args)
    {
        var p = Rent(sb);
        try
        {
            p.DoPrintf(format, args);
        }
        finally
        {
            Return(p);
        }
    }

    public static string Sprintf(string format, params Value[] args)
    {
        var sb = new StringBuilder();
        Sprintf(sb, format, args);
        return sb.ToString();
    }

    /// <summary>The type name %T prints.</summary>
    public static string TypeName(in Value v) => v.IsNothing ? "<nil>" : v.Type!.Name;

    private sealed class Printer
    {
        private const string LDigits = "0123456789abcdefx";
        private const string UDigits = "0123456789ABCDEFX";

        public StringBuilder Buf = null!;
        private bool widPresent;
        private bool precPresent;
        private bool minus;
        private bool plus;
        private bool sharp;
        private bool space;
        private bool zero;
        private bool plusV;
        private bool sharpV;
        private int wid;
        private int prec;
        private bool erroring;
        private bool reordered;
        private bool goodArgNum;

        public void Clear()
        {
            widPresent = precPresent = minus = plus = sharp = space = zero = plusV = sharpV = false;
            wid = prec = 0;
        }

        private void WritePadding(int n)
        {
            if (n <= 0)
            {
                return;
            }

            Buf.Append(zero ? '0' : ' ', n);
        }

        private static int RuneCount(string s)
        {
            var n = s.Length;
            foreach (var c in s)
            {
                if (char.IsLowSurrogate(c))
                {
                    n--;
                }
            }

            return n;
        }

        private void PadString(string s)
        {
            if (!widPresent || wid == 0)
            {
                Buf.Append(s);
                return;
            }

            var width = wid - RuneCount(s);
            if (!minus)
            {
                WritePadding(width);
                Buf.Append(s);
            }
            else
            {
                Buf.Append(s);
                WritePadding(width);
            }
        }

        private void FmtBoolean(bool v) => PadString(v ? "true" : "false");

        private void FmtInteger(ulong u, int @base, bool isSigned, char verb, string digits)
        {
            var negative = isSigned && unchecked((long)u) < 0;
            if (negative)
            {
                u = unchecked(0 - u);
            }

            var p = 0;
            if (precPresent)
            {
                p = prec;
                if (p == 0 && u == 0)
                {
                    var oldZero = zero;
                    zero = false;
                    WritePadding(wid);
                    zero = oldZero;
                    return;
                }
            }
            else if (zero && widPresent)
            {
                p = wid;
                if (negative || plus || space)
                {
                    p--;
                }
            }

            var buf = new char[Math.Max(68, 3 + wid + prec)];
            var i = buf.Length;
            switch (@base)
            {
                case 10:
                    while (u >= 10)
                    {
                        i--;
                        var next = u / 10;
                        buf[i] = (char)('0' + (u - (next * 10)));
                        u = next;
                    }

                    break;
                case 16:
                    while (u >= 16)
                    {
                        i--;
                        buf[i] = digits[(int)(u & 0xF)];
                        u >>= 4;
                    }

                    break;
                case 8:
                    while (u >= 8)
                    {
                        i--;
                        buf[i] = (char)('0' + (u & 7));
                        u >>= 3;
                    }

                    break;
                case 2:
                    while (u >= 2)
                    {
                        i--;
                        buf[i] = (char)('0' + (u & 1));
                        u >>= 1;
                    }

                    break;
            }

            i--;
            buf[i] = digits[(int)u];
            while (i > 0 && p > buf.Length - i)
            {
                i--;
                buf[i] = '0';
            }

            if (sharp)
            {
                switch (@base)
                {
                    case 2:
                        buf[--i] = 'b';
                        buf[--i] = '0';
                        break;
                    case 8:
                        if (buf[i] != '0')
                        {
                            buf[--i] = '0';
                        }

                        break;
                    case 16:
                        buf[--i] = digits[16];
                        buf[--i] = '0';
                        break;
                }
            }

            if (verb == 'O')
            {
                buf[--i] = 'o';
                buf[--i] = '0';
            }

            if (negative)
            {
                buf[--i] = '-';
            }
            else if (plus)
            {
                buf[--i] = '+';
            }
            else if (space)
            {
                buf[--i] = ' ';
            }

            var old = zero;
            zero = false;
            PadString(new string(buf, i, buf.Length - i));
            zero = old;
        }

        private void FmtUnicode(ulong u)
        {
            var p = 4;
            if (precPresent && prec > 4)
            {
                p = prec;
            }

            var sb = new StringBuilder();
            var hex = u.ToString("X", CultureInfo.InvariantCulture);
            sb.Append("U+");
            if (hex.Length < p)
            {
                sb.Append('0', p - hex.Length);
            }

            sb.Append(hex);
            if (sharp && u <= 0x10FFFF && GoQuote.IsPrint((int)u))
            {
                sb.Append(" '");
                GoQuote.AppendRune(sb, (int)u);
                sb.Append('\'');
            }

            var old = zero;
            zero = false;
            PadString(sb.ToString());
            zero = old;
        }

        private string TruncateString(string s)
        {
            if (precPresent)
            {
                var n = prec;
                for (var i = 0; i < s.Length; i++)
                {
                    if (char.IsLowSurrogate(s[i]))
                    {
                        continue;
                    }

                    n--;
                    if (n < 0)
                    {
                        return s[..i];
                    }
                }
            }

            return s;
        }

        private void FmtS(string s) => PadString(TruncateString(s));

        private void FmtSx(string s, string digits)
        {
            var b = Utf8.Bytes(s);
            var length = b.Length;
            if (precPresent && prec < length)
            {
                length = prec;
            }

            var width = 2 * length;
            if (width > 0)
            {
                if (space)
                {
                    if (sharp)
                    {
                        width *= 2;
                    }

                    width += length - 1;
                }
                else if (sharp)
                {
                    width += 2;
                }
            }
            else
            {
                if (widPresent)
                {
                    WritePadding(wid);
                }

                return;
            }

            if (widPresent && wid > width && !minus)
            {
                WritePadding(wid - width);
            }

            if (sharp)
            {
                Buf.Append('0').Append(digits[16]);
            }

            for (var i = 0; i < length; i++)
            {
                if (space && i > 0)
                {
                    Buf.Append(' ');
                    if (sharp)
                    {
                        Buf.Append('0').Append(digits[16]);
                    }
                }

                Buf.Append(digits[b[i] >> 4]).Append(digits[b[i] & 0xF]);
            }

            if (widPresent && wid > width && minus)
            {
                WritePadding(wid - width);
            }
        }

        private void FmtQ(string s)
        {
            s = TruncateString(s);
            if (sharp && GoQuote.CanBackquote(s))
            {
                PadString("`" + s + "`");
                return;
            }

            var sb = new StringBuilder(s.Length + 2);
            GoQuote.AppendQuoted(sb, s, '"', plus);
            PadString(sb.ToString());
        }

        private void FmtC(ulong c)
        {
            var r = c > 0x10FFFF || (c >= 0xD800 && c < 0xE000) ? 0xFFFD : (int)c;
            PadString(char.ConvertFromUtf32(r));
        }

        private void FmtQc(ulong c)
        {
            var r = c > 0x10FFFF ? 0xFFFD : (int)c;
            PadString(GoQuote.QuoteRune(r, plus));
        }

        private void FmtFloat(double v, int size, char verb, int p)
        {
            // %v and %g without flags, width or precision (how templates print every JSON number): no padding or sign work.
            if (verb == 'g' && p == -1 && !precPresent && !widPresent && !plus && !space && !sharp && double.IsFinite(v))
            {
                GoFloatFormat.Append(Buf, v, 'g', -1, size);
                return;
            }

            if (precPresent)
            {
                p = prec;
            }

            var sb = new StringBuilder(32);
            sb.Append('+');
            GoFloatFormat.Append(sb, v, verb, p, size);
            var num = sb.ToString();
            if (num.Length > 1 && (num[1] == '-' || num[1] == '+'))
            {
                num = num[1..];
            }

            if (space && num[0] == '+' && !plus)
            {
                num = " " + num[1..];
            }

            if (num[1] == 'I' || num[1] == 'N')
            {
                var oldZero = zero;
                zero = false;
                if (num[1] == 'N' && !space && !plus)
                {
                    num = num[1..];
                }

                PadString(num);
                zero = oldZero;
                return;
            }

            if (sharp && verb != 'b')
            {
                var digits = 0;
                switch (verb)
                {
                    case 'v' or 'g' or 'G' or 'x':
                        digits = p;
                        if (digits == -1)
                        {
                            digits = 6;
                        }

                        break;
                }

                var tail = "";
                var body = new StringBuilder(num);
                var hasDecimalPoint = false;
                var sawNonzeroDigit = false;
                for (var i = 1; i < body.Length; i++)
                {
                    var ch = body[i];
                    if (ch == '.')
                    {
                        hasDecimalPoint = true;
                    }
                    else if (ch is 'p' or 'P' || (ch is 'e' or 'E' && verb != 'x' && verb != 'X'))
                    {
                        tail = body.ToString(i, body.Length - i);
                        body.Length = i;
                        break;
                    }
                    else
                    {
                        if (ch != '0')
                        {
                            sawNonzeroDigit = true;
                        }

                        if (sawNonzeroDigit)
                        {
                            digits--;
                        }
                    }
                }

                if (!hasDecimalPoint)
                {
                    if (body.Length == 2 && body[1] == '0')
                    {
                        digits--;
                    }

                    body.Append('.');
                }

                while (digits > 0)
                {
                    body.Append('0');
                    digits--;
                }

                body.Append(tail);
                num = body.ToString();
            }

            if (plus || num[0] != '+')
            {
                if (zero && widPresent && wid > num.Length)
                {
                    Buf.Append(num[0]);
                    WritePadding(wid - num.Length);
                    Buf.Append(num, 1, num.Length - 1);
                    return;
                }

                PadString(num);
                return;
            }

            PadString(num[1..]);
        }

        private void BadVerb(char verb, in Value arg)
        {
            erroring = true;
            Buf.Append("%!").Append(verb).Append('(');
            if (arg.IsNothing)
            {
                Buf.Append("<nil>");
            }
            else
            {
                Buf.Append(arg.Type!.Name).Append('=');
                PrintArg(arg, 'v');
            }

            Buf.Append(')');
            erroring = false;
        }

        private void FmtBoolArg(in Value arg, char verb)
        {
            if (verb is 't' or 'v')
            {
                FmtBoolean(arg.Bits != 0);
            }
            else
            {
                BadVerb(verb, arg);
            }
        }

        private void FmtIntegerArg(in Value arg, ulong v, bool isSigned, char verb)
        {
            switch (verb)
            {
                case 'v':
                    if (sharpV && !isSigned)
                    {
                        var s = sharp;
                        sharp = true;
                        FmtInteger(v, 16, false, 'v', LDigits);
                        sharp = s;
                    }
                    else
                    {
                        FmtInteger(v, 10, isSigned, verb, LDigits);
                    }

                    break;
                case 'd':
                    FmtInteger(v, 10, isSigned, verb, LDigits);
                    break;
                case 'b':
                    FmtInteger(v, 2, isSigned, verb, LDigits);
                    break;
                case 'o' or 'O':
                    FmtInteger(v, 8, isSigned, verb, LDigits);
                    break;
                case 'x':
                    FmtInteger(v, 16, isSigned, verb, LDigits);
                    break;
                case 'X':
                    FmtInteger(v, 16, isSigned, verb, UDigits);
                    break;
                case 'c':
                    FmtC(v);
                    break;
                case 'q':
                    FmtQc(v);
                    break;
                case 'U':
                    FmtUnicode(v);
                    break;
                default:
                    BadVerb(verb, arg);
                    break;
            }
        }

        private void FmtFloatArg(in Value arg, double v, int size, char verb)
        {
            switch (verb)
            {
                case 'v':
                    FmtFloat(v, size, 'g', -1);
                    break;
                case 'b' or 'g' or 'G':
                    FmtFloat(v, size, verb, -1);
                    break;
                case 'x' or 'X':
                    FmtFloat(v, size, verb == 'x' ? 'e' : 'E', -1);
                    break;
                case 'f' or 'e' or 'E':
                    FmtFloat(v, size, verb, 6);
                    break;
                case 'F':
                    FmtFloat(v, size, 'f', 6);
                    break;
                default:
                    BadVerb(verb, arg);
                    break;
            }
        }

        private void FmtComplexArg(in Value arg, GoComplex c, char verb)
        {
            switch (verb)
            {
                case 'v' or 'b' or 'g' or 'G' or 'x' or 'X' or 'f' or 'F' or 'e' or 'E':
                    var oldPlus = plus;
                    Buf.Append('(');
                    FmtFloatArg(arg, c.Real, 64, verb);
                    plus = true;
                    FmtFloatArg(arg, c.Imaginary, 64, verb);
                    Buf.Append("i)");
                    plus = oldPlus;
                    break;
                default:
                    BadVerb(verb, arg);
                    break;
            }
        }

        private void FmtString(in Value arg, string v, char verb)
        {
            switch (verb)
            {
                case 'v':
                    if (sharpV)
                    {
                        FmtQ(v);
                    }
                    else
                    {
                        FmtS(v);
                    }

                    break;
                case 's':
                    FmtS(v);
                    break;
                case 'x':
                    FmtSx(v, LDigits);
                    break;
                case 'X':
                    FmtSx(v, UDigits);
                    break;
                case 'q':
                    FmtQ(v);
                    break;
                default:
                    BadVerb(verb, arg);
                    break;
            }
        }

        public void PrintArg(in Value arg, char verb)
        {
            if (arg.IsNothing)
            {
                if (verb is 'T' or 'v')
                {
                    PadString("<nil>");
                }
                else
                {
                    BadVerb(verb, arg);
                }

                return;
            }

            if (verb == 'T')
            {
                FmtS(arg.Type!.Name);
                return;
            }

            if (verb == 'p')
            {
                FmtPointer(arg, 'p');
                return;
            }

            PrintValue(arg, verb, 0);
        }

        private void FmtPointer(in Value arg, char verb)
        {
            if (arg.Ref is GoMap or GoList || arg.Kind == GoKind.Pointer)
            {
                var addr = (ulong)(uint)System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(arg.Ref!) | 0xc000000000UL;
                var s = sharp;
                sharp = !s;
                if (verb == 'v' && addr == 0)
                {
                    PadString("<nil>");
                }
                else
                {
                    FmtInteger(addr, 16, false, 'v', LDigits);
                }

                sharp = s;
                return;
            }

            BadVerb(verb, arg);
        }

        private bool HandleMethods(in Value v, char verb)
        {
            if (erroring)
            {
                return false;
            }

            var stringer = v.Type?.Stringer;
            if (stringer is null || sharpV)
            {
                return false;
            }

            if (verb is 'v' or 's' or 'x' or 'X' or 'q')
            {
                FmtString(v, stringer(v), verb);
                return true;
            }

            return false;
        }

        private void PrintValue(in Value value, char verb, int depth)
        {
            if (HandleMethods(value, verb))
            {
                return;
            }

            switch (value.Ref)
            {
                case null:
                    if (depth == 0)
                    {
                        Buf.Append("<invalid reflect.Value>");
                    }
                    else if (verb == 'v')
                    {
                        Buf.Append("<nil>");
                    }
                    else
                    {
                        BadVerb(verb, value);
                    }

                    return;
                case string s:
                    FmtString(value, s, verb);
                    return;
                case GoType t:
                    if (t.Kind == GoKind.Bool)
                    {
                        FmtBoolArg(value, verb);
                    }
                    else if (t.IsSigned)
                    {
                        FmtIntegerArg(value, unchecked((ulong)value.Bits), true, verb);
                    }
                    else if (t.IsUnsigned)
                    {
                        FmtIntegerArg(value, value.RawUInt, false, verb);
                    }
                    else if (t.IsFloat)
                    {
                        FmtFloatArg(value, value.AsFloat, t.Kind == GoKind.Float32 ? 32 : 64, verb);
                    }

                    return;
                case GoComplex c:
                    FmtComplexArg(value, c, verb);
                    return;
                case GoMap m:
                    PrintMap(m, verb, depth);
                    return;
                case GoList l:
                    PrintList(l, verb, depth);
                    return;
                case GoObject o:
                    if (o.Type.Kind == GoKind.Pointer && depth == 0)
                    {
                        Buf.Append('&');
                    }
                    else if (o.Type.Kind == GoKind.Pointer)
                    {
                        FmtPointer(value, verb);
                        return;
                    }

                    PrintStruct(o, verb, depth);
                    return;
                default:
                    if (sharpV)
                    {
                        Buf.Append("interface {}(nil)");
                    }
                    else
                    {
                        Buf.Append("<nil>");
                    }

                    return;
            }
        }

        private void PrintMap(GoMap m, char verb, int depth)
        {
            if (sharpV && m.IsNil)
            {
                Buf.Append(m.Type.Name).Append("(nil)");
                return;
            }

            if (sharpV)
            {
                Buf.Append(m.Type.Name).Append('{');
            }
            else
            {
                Buf.Append("map[");
            }

            var first = true;
            foreach (var key in m.SortedKeys())
            {
                if (!first)
                {
                    Buf.Append(sharpV ? ", " : " ");
                }

                first = false;
                PrintValue(Value.String(key), verb, depth + 1);
                Buf.Append(':');
                m.TryGet(key, out var v);
                PrintNested(v, verb, depth + 1);
            }

            Buf.Append(sharpV ? '}' : ']');
        }

        private void PrintNested(in Value v, char verb, int depth)
        {
            if (v.IsNil)
            {
                if (sharpV)
                {
                    Buf.Append("interface {}(nil)");
                }
                else
                {
                    Buf.Append("<nil>");
                }

                return;
            }

            PrintValue(v, verb, depth);
        }

        private void PrintList(GoList l, char verb, int depth)
        {
            if (verb is 's' or 'q' or 'x' or 'X' && l.Type.Elem?.Kind == GoKind.Uint8)
            {
                var bytes = new byte[l.Count];
                for (var i = 0; i < bytes.Length; i++)
                {
                    bytes[i] = (byte)l[i].Bits;
                }

                var text = Utf8.Decode(bytes);
                if (verb is 's')
                {
                    FmtS(text);
                }
                else if (verb is 'q')
                {
                    FmtQ(text);
                }
                else
                {
                    FmtSx(text, verb == 'x' ? LDigits : UDigits);
                }

                return;
            }

            if (sharpV)
            {
                Buf.Append(l.Type.Name).Append('{');
                for (var i = 0; i < l.Count; i++)
                {
                    if (i > 0)
                    {
                        Buf.Append(", ");
                    }

                    PrintNested(l[i], verb, depth + 1);
                }

                Buf.Append('}');
                return;
            }

            Buf.Append('[');
            for (var i = 0; i < l.Count; i++)
            {
                if (i > 0)
                {
                    Buf.Append(' ');
                }

                PrintNested(l[i], verb, depth + 1);
            }

            Buf.Append(']');
        }

        private void PrintStruct(GoObject o, char verb, int depth)
        {
            if (sharpV)
            {
                Buf.Append(o.Type.Name.TrimStart('*'));
            }

            Buf.Append('{');
            var fields = o.Fields;
            for (var i = 0; i < fields.Count; i++)
            {
                if (i > 0)
                {
                    Buf.Append(sharpV ? ", " : " ");
                }

                if (plusV || sharpV)
                {
                    Buf.Append(fields[i].Key).Append(':');
                }

                PrintNested(fields[i].Value, verb, depth + 1);
            }

            Buf.Append('}');
        }

        private static (int Num, bool IsInt, int NewArgNum) IntFromArg(ReadOnlySpan<Value> a, int argNum)
        {
            var newArgNum = argNum;
            var num = 0;
            var isInt = false;
            if (argNum < a.Length)
            {
                var v = a[argNum];
                if (v.Type is { } t)
                {
                    if (t.IsSigned && v.Bits >= int.MinValue && v.Bits <= int.MaxValue)
                    {
                        num = (int)v.Bits;
                        isInt = true;
                    }
                    else if (t.IsUnsigned && v.RawUInt <= int.MaxValue)
                    {
                        num = (int)v.RawUInt;
                        isInt = true;
                    }
                }

                newArgNum = argNum + 1;
                if (num > 1_000_000 || num < -1_000_000)
                {
                    num = 0;
                    isInt = false;
                }
            }

            return (num, isInt, newArgNum);
        }

        private static (int Num, bool IsNum, int NewI) ParseNum(string s, int start, int end)
        {
            if (start >= end)
            {
                return (0, false, end);
            }

            var num = 0;
            var isNum = false;
            var i = start;
            for (; i < end && s[i] >= '0' && s[i] <= '9'; i++)
            {
                if (num > 1_000_000 || num < -1_000_000)
                {
                    return (0, false, end);
                }

                num = (num * 10) + (s[i] - '0');
                isNum = true;
            }

            return (num, isNum, i);
        }

        private (int ArgNum, int I, bool Found) ArgNumber(int argNum, string format, int i, int numArgs)
        {
            if (format.Length <= i || format[i] != '[')
            {
                return (argNum, i, false);
            }

            reordered = true;
            var (index, w, ok) = ParseArgNumber(format, i);
            if (ok && index >= 0 && index < numArgs)
            {
                return (index, i + w, true);
            }

            goodArgNum = false;
            return (argNum, i + w, ok);
        }

        private static (int Index, int Wid, bool Ok) ParseArgNumber(string format, int start)
        {
            if (format.Length - start < 3)
            {
                return (0, 1, false);
            }

            for (var i = start + 1; i < format.Length; i++)
            {
                if (format[i] == ']')
                {
                    var (width, ok, newi) = ParseNum(format, start + 1, i);
                    if (!ok || newi != i)
                    {
                        return (0, i - start + 1, false);
                    }

                    return (width - 1, i - start + 1, true);
                }
            }

            return (0, 1, false);
        }

        public void DoPrintf(string format, ReadOnlySpan<Value> a)
        {
            var end = format.Length;
            var argNum = 0;
            var afterIndex = false;
            reordered = false;
            for (var i = 0; i < end;)
            {
                goodArgNum = true;
                var lasti = i;
                while (i < end && format[i] != '%')
                {
                    i++;
                }

                if (i > lasti)
                {
                    Buf.Append(format, lasti, i - lasti);
                }

                if (i >= end)
                {
                    break;
                }

                i++;
                Clear();
                var simple = false;
                for (; i < end; i++)
                {
                    var c = format[i];
                    var stop = false;
                    switch (c)
                    {
                        case '#':
                            sharp = true;
                            break;
                        case '0':
                            zero = !minus;
                            break;
                        case '+':
                            plus = true;
                            break;
                        case '-':
                            minus = true;
                            zero = false;
                            break;
                        case ' ':
                            space = true;
                            break;
                        default:
                            if (c >= 'a' && c <= 'z' && argNum < a.Length)
                            {
                                if (c == 'v')
                                {
                                    sharpV = sharp;
                                    sharp = false;
                                    plusV = plus;
                                    plus = false;
                                }

                                PrintArg(a[argNum], c);
                                argNum++;
                                i++;
                                simple = true;
                            }

                            stop = true;
                            break;
                    }

                    if (stop)
                    {
                        break;
                    }
                }

                if (simple)
                {
                    continue;
                }

                (argNum, i, afterIndex) = ArgNumber(argNum, format, i, a.Length);
                if (i < end && format[i] == '*')
                {
                    i++;
                    (wid, widPresent, argNum) = IntFromArg(a, argNum);
                    if (!widPresent)
                    {
                        Buf.Append("%!(BADWIDTH)");
                    }

                    if (wid < 0)
                    {
                        wid = -wid;
                        minus = true;
                        zero = false;
                    }

                    afterIndex = false;
                }
                else
                {
                    (wid, widPresent, i) = ParseNum(format, i, end);
                    if (afterIndex && widPresent)
                    {
                        goodArgNum = false;
                    }
                }

                if (i + 1 < end && format[i] == '.')
                {
                    i++;
                    if (afterIndex)
                    {
                        goodArgNum = false;
                    }

                    (argNum, i, afterIndex) = ArgNumber(argNum, format, i, a.Length);
                    if (i < end && format[i] == '*')
                    {
                        i++;
                        (prec, precPresent, argNum) = IntFromArg(a, argNum);
                        if (prec < 0)
                        {
                            prec = 0;
                            precPresent = false;
                        }

                        if (!precPresent)
                        {
                            Buf.Append("%!(BADPREC)");
                        }

                        afterIndex = false;
                    }
                    else
                    {
                        (prec, precPresent, i) = ParseNum(format, i, end);
                        if (!precPresent)
                        {
                            prec = 0;
                            precPresent = true;
                        }
                    }
                }

                if (!afterIndex)
                {
                    (argNum, i, afterIndex) = ArgNumber(argNum, format, i, a.Length);
                }

                if (i >= end)
                {
                    Buf.Append("%!(NOVERB)");
                    break;
                }

                int verb = format[i];
                var size = 1;
                if (char.IsHighSurrogate(format[i]) && i + 1 < end)
                {
                    verb = char.ConvertToUtf32(format[i], format[i + 1]);
                    size = 2;
                }

                i += size;
                var verbChar = verb < 0x10000 ? (char)verb : '\uFFFD';
                if (verb == '%')
                {
                    Buf.Append('%');
                }
                else if (!goodArgNum)
                {
                    Buf.Append("%!");
                    GoQuote.AppendRune(Buf, verb);
                    Buf.Append("(BADINDEX)");
                }
                else if (argNum >= a.Length)
                {
                    Buf.Append("%!");
                    GoQuote.AppendRune(Buf, verb);
                    Buf.Append("(MISSING)");
                }
                else
                {
                    if (verb == 'v')
                    {
                        sharpV = sharp;
                        sharp = false;
                        plusV = plus;
                        plus = false;
                    }

                    PrintArg(a[argNum], verbChar);
                    argNum++;
                }
            }

            if (!reordered && argNum < a.Length)
            {
                Clear();
                Buf.Append("%!(EXTRA ");
                for (var k = argNum; k < a.Length; k++)
                {
                    if (k > argNum)
                    {
                        Buf.Append(", ");
                    }

                    if (a[k].IsNothing)
                    {
                        Buf.Append("<nil>");
                    }
                    else
                    {
                        Buf.Append(a[k].Type!.Name).Append('=');
                        PrintArg(a[k], 'v');
                    }
                }

                Buf.Append(')');
            }
        }
    }
}
