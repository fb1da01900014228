namespace Weir.Kustomize.Flux.Envsubst;

internal enum EnvsubstToken
{
    Illegal,
    End,
    Text,
    Open,
    Close,
}

/// <summary>Which tokens a scan may return.</summary>
[Flags]
internal enum ScanModes
{
    None = 0,
    Text = 1,
    Open = 2,
    Close = 4,
    Escapes = 8,
}

/// <summary>Which escapes apply while <see cref="ScanModes.Escapes"/> is on: <c>$$</c> everywhere, <c>\\</c> and <c>\/</c> inside <c>${…}</c>.</summary>
[Flags]
internal enum EscapeSet
{
    Dollar = 1,
    Backslash = 2,
    All = Dollar | Backslash,
}

/// <summary>
/// drone/envsubst's scanner over UTF-8 bytes. Its quirks are part of the grammar and kept: a NUL byte reads as the
/// end, an escape removes its first byte from the buffer, and stepping back uses the width of the last rune read
/// (so a peek followed by two steps back can land earlier than where the caller started).
/// </summary>
internal sealed class EnvsubstScanner(byte[] input)
{
    public const int End = 0;

    private readonly List<byte> buffer = [.. input];
    private int position;
    private int start;
    private int width;

    public ScanModes Modes { get; set; }

    public EscapeSet Escapes { get; set; }

    /// <summary>Accepts a rune at byte offset <c>i</c> of the token (the rune's end).</summary>
    public Func<int, int, bool> Accept { get; set; } = (_, _) => true;

    /// <summary>The bytes of the last token.</summary>
    public byte[] Token => [.. buffer.GetRange(start, position - start)];

    public int Read()
    {
        if (position >= buffer.Count)
        {
            width = 0;
            return End;
        }

        var (rune, w) = Utf8Text.Decode(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(buffer)[position..]);
        width = w;
        position += w;
        return rune;
    }

    public void Unread() => position -= width;

    public int Peek()
    {
        var r = Read();
        Unread();
        return r;
    }

    public EnvsubstToken Scan()
    {
        start = position;
        var r = Read();
        if (r == End)
        {
            return EnvsubstToken.End;
        }

        if (IsOpen(r))
        {
            return EnvsubstToken.Open;
        }

        if (Modes.HasFlag(ScanModes.Close) && r == '}')
        {
            return EnvsubstToken.Close;
        }

        return ScanText(r) ? EnvsubstToken.Text : EnvsubstToken.Illegal;
    }

    private bool ScanText(int first)
    {
        if (!Modes.HasFlag(ScanModes.Text))
        {
            return false;
        }

        if (IsEscape(first))
        {
            DropPrevious();
        }
        else if (!Accept(first, position - start))
        {
            return false;
        }

        while (true)
        {
            var r = Read();
            if (r == End)
            {
                Unread();
                return true;
            }

            if (IsOpen(r))
            {
                Unread();
                Unread();
                return true;
            }

            if (IsEscape(r))
            {
                DropPrevious();
                continue;
            }

            if (!Accept(r, position - start))
            {
                Unread();
                return true;
            }
        }
    }

    /// <summary><c>${</c> (when opening is scanned); a <c>$</c> not followed by <c>{</c> is given back.</summary>
    private bool IsOpen(int r)
    {
        if (!Modes.HasFlag(ScanModes.Open) || r != '$')
        {
            return false;
        }

        if (Read() == '{')
        {
            return true;
        }

        Unread();
        return false;
    }

    private bool IsEscape(int r)
    {
        if (!Modes.HasFlag(ScanModes.Escapes))
        {
            return false;
        }

        if (r == '$' && Escapes.HasFlag(EscapeSet.Dollar) && Peek() == '$')
        {
            return true;
        }

        return r == '\\' && Escapes.HasFlag(EscapeSet.Backslash) && Peek() is '/' or '\\';
    }

    /// <summary>Removes the byte just read, so the escaped character that follows joins the token unchecked.</summary>
    private void DropPrevious() => buffer.RemoveAt(position - 1);
}
