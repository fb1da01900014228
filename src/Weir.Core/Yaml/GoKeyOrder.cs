using System.Globalization;
using System.Text;

namespace Weir.Core.Yaml;

/// <summary>
/// The order in which go-yaml v2 writes string map keys (what kubectl prints): letters compare by code point
/// and come after non-letters, runs of digits compare by numeric value.
/// </summary>
internal sealed class GoKeyOrder : IComparer<string>
{
    public static GoKeyOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        return Less(x, y) ? -1 : Less(y, x) ? 1 : 0;
    }

    private static bool Less(string x, string y)
    {
        var a = x.EnumerateRunes().ToArray();
        var b = y.EnumerateRunes().ToArray();
        for (var i = 0; i < a.Length && i < b.Length; i++)
        {
            if (a[i] == b[i])
            {
                continue;
            }

            var aLetter = Rune.IsLetter(a[i]);
            var bLetter = Rune.IsLetter(b[i]);
            if (aLetter && bLetter)
            {
                return a[i] < b[i];
            }

            if (aLetter || bLetter)
            {
                return bLetter;
            }

            // Compare the digit runs starting here by value; a run that continues a number with a
            // non-zero digit before it keeps its leading zeros significant.
            long an = 0, bn = 0;
            if (a[i].Value == '0' || b[i].Value == '0')
            {
                for (var j = i - 1; j >= 0 && IsDigit(a[j]); j--)
                {
                    if (a[j].Value != '0')
                    {
                        an = 1;
                        bn = 1;
                        break;
                    }
                }
            }

            var ai = i;
            for (; ai < a.Length && IsDigit(a[ai]); ai++)
            {
                an = (an * 10) + (a[ai].Value - '0');
            }

            var bi = i;
            for (; bi < b.Length && IsDigit(b[bi]); bi++)
            {
                bn = (bn * 10) + (b[bi].Value - '0');
            }

            if (an != bn)
            {
                return an < bn;
            }

            if (ai != bi)
            {
                return ai < bi;
            }

            return a[i] < b[i];
        }

        return a.Length < b.Length;
    }

    // Go's unicode.IsDigit accepts every decimal digit; only ASCII ones carry the value arithmetic above.
    private static bool IsDigit(Rune r) => Rune.GetUnicodeCategory(r) == UnicodeCategory.DecimalDigitNumber;
}
