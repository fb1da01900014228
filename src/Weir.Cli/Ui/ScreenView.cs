extern alias TerminalGui;
using TerminalGui::Terminal.Gui.Drawing;
using TerminalGui::Terminal.Gui.Input;
using TerminalGui::Terminal.Gui.ViewBase;
using TerminalGui::Terminal.Gui.Views;
using Attribute = TerminalGui::Terminal.Gui.Drawing.Attribute;

namespace Weir.Cli.Ui;

/// <summary>
/// The one Terminal.Gui view: draws <see cref="UiController.Render"/>'s lines in the terminal's 16 colours (plain
/// bold/reverse/underline with <c>NO_COLOR</c>) and redraws on resize, which Terminal.Gui reports.
/// </summary>
public sealed class ScreenView : Runnable
{
    private readonly UiController _controller;
    private readonly bool _colour;

    public ScreenView(UiController controller, bool colour)
    {
        _controller = controller;
        _colour = colour;
        Width = Dim.Fill();
        Height = Dim.Fill();
        CanFocus = true;
        BorderStyle = LineStyle.None;
    }

    protected override bool OnDrawingContent(DrawContext? context)
    {
        var width = Viewport.Width;
        var lines = _controller.Render(width, Viewport.Height);
        for (var y = 0; y < lines.Count; y++)
        {
            Move(0, y);
            var x = 0;
            foreach (var span in lines[y].Spans)
            {
                if (x >= width)
                {
                    break;
                }

                var text = Clip(span.Text, width - x);
                SetAttribute(Attr(span.Tone));
                AddStr(text);
                x += text.Length;
            }

            if (x < width)
            {
                SetAttribute(Attr(Tone.Normal));
                AddStr(new string(' ', width - x));
            }
        }

        return true;
    }

    private static string Clip(string text, int room) => text.Length <= room ? text : text[..room];

    private Attribute Attr(Tone tone) => _colour
        ? tone switch
        {
            Tone.Ok => new Attribute(Color.Green, Color.None),
            Tone.Bad => new Attribute(Color.Red, Color.None),
            Tone.Warn => new Attribute(Color.Yellow, Color.None),
            Tone.Dim => new Attribute(Color.DarkGray, Color.None),
            Tone.Header => new Attribute(Color.Cyan, Color.None, TextStyle.Bold),
            Tone.Selected => new Attribute(Color.Black, Color.Cyan),
            Tone.Banner => new Attribute(Color.Black, Color.Yellow),
            Tone.Match => new Attribute(Color.Yellow, Color.None, TextStyle.Underline),
            _ => new Attribute(Color.None, Color.None),
        }
        : tone switch
        {
            Tone.Header or Tone.Bad => new Attribute(Color.None, Color.None, TextStyle.Bold),
            Tone.Selected or Tone.Banner => new Attribute(Color.None, Color.None, TextStyle.Reverse),
            Tone.Match => new Attribute(Color.None, Color.None, TextStyle.Underline),
            _ => new Attribute(Color.None, Color.None),
        };

    /// <summary>Terminal.Gui's key as the controller names it: <c>j</c>, <c>N</c>, <c>Enter</c>, <c>Ctrl+D</c> …; null for others.</summary>
    public static string? Name(Key key)
    {
        if (key == Key.Esc) return "Esc";
        if (key == Key.Enter) return "Enter";
        if (key == Key.Tab) return "Tab";
        if (key == Key.Backspace) return "Backspace";
        if (key == Key.CursorUp) return "Up";
        if (key == Key.CursorDown) return "Down";
        if (key == Key.PageUp) return "PgUp";
        if (key == Key.PageDown) return "PgDn";
        if (key == Key.Home) return "Home";
        if (key == Key.End) return "End";
        if (key.IsCtrl && !key.IsAlt)
        {
            var letter = key.NoCtrl.NoShift.AsRune.Value;
            return letter is >= 'a' and <= 'z' or >= 'A' and <= 'Z' ? $"Ctrl+{char.ToUpperInvariant((char)letter)}" : null;
        }

        var rune = key.AsRune;
        return !key.IsAlt && rune.Value >= ' ' ? rune.ToString() : null;
    }

    /// <summary>
    /// The keys a key event stands for: Esc quickly followed by a key reaches a terminal program as Alt+key, so an
    /// Alt+key is Esc then the key (k9s users press Esc and the next key in one motion).
    /// </summary>
    public static IEnumerable<string> Names(Key key)
    {
        if (key.IsAlt && !key.IsCtrl && key.NoAlt.AsRune.Value >= ' ')
        {
            return ["Esc", key.NoAlt.AsRune.ToString()];
        }

        return Name(key) is { } name ? [name] : [];
    }
}
