namespace Weir.Cli.Output;

/// <summary>
/// Whether stdout is an interactive terminal: colour and in-place redraws only then. <c>NO_COLOR</c> turns colour
/// off; <c>WEIR_TTY=1</c> forces terminal behaviour (for tests and pagers that understand ANSI).
/// </summary>
public static class Terminal
{
    public static bool IsInteractive =>
        Environment.GetEnvironmentVariable("WEIR_TTY") is "1" || (!Console.IsOutputRedirected && Environment.GetEnvironmentVariable("TERM") is not "dumb");

    public static bool Colour => IsInteractive && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));

    public static string Green(string text) => Colour ? $"\u001b[32m{text}\u001b[0m" : text;

    public static string Red(string text) => Colour ? $"\u001b[31m{text}\u001b[0m" : text;

    public static string Yellow(string text) => Colour ? $"\u001b[33m{text}\u001b[0m" : text;

    /// <summary>Moves the cursor to the start of the line <paramref name="lines"/> up and clears to the end of the screen.</summary>
    public static string Rewind(int lines) => lines > 0 ? $"\u001b[{lines}F\u001b[J" : "";
}
