namespace Weir.Cli.Ui;

/// <summary>What a piece of text means on screen; the view maps each tone to a colour of the terminal's 16.</summary>
public enum Tone
{
    Normal,
    Ok,
    Bad,
    Warn,
    Dim,
    Header,
    Selected,
    Banner,
    Match,
}

/// <summary>A run of text in one tone.</summary>
public sealed record Span(string Text, Tone Tone = Tone.Normal);

/// <summary>One screen line made of spans.</summary>
public sealed record StyledLine(IReadOnlyList<Span> Spans)
{
    public static StyledLine Of(string text, Tone tone = Tone.Normal) => new([new Span(text, tone)]);

    public string Text => string.Concat(Spans.Select(s => s.Text));
}
