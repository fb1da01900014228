namespace Weir.Cli.Output;

/// <summary>flux's progress lines on stderr: ► action, ✔ success, ◎ waiting, ⚠️ warning, ✗ failure.</summary>
public sealed class CliLog(TextWriter error)
{
    public static CliLog Stderr { get; } = new(Console.Error);

    public void Action(string message) => error.WriteLine($"► {message}");

    public void Success(string message) => error.WriteLine($"✔ {message}");

    public void Generate(string message) => error.WriteLine($"✚ {message}");

    public void Waiting(string message) => error.WriteLine($"◎ {message}");

    public void Warning(string message) => error.WriteLine($"⚠️ {message}");

    public void Failure(string message) => error.WriteLine($"✗ {message}");
}
