namespace Weir.Cli.Tests.Verbs;

/// <summary>Reads a running process's output line by line with a deadline per line.</summary>
public sealed class LineReader(StreamReader reader)
{
    private readonly List<string> _seen = [];

    public async Task<string> NextAsync(Func<string, bool>? match = null, int seconds = 20)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException("no matching line; output so far:\n" + string.Join("\n", _seen));
            }

            if (line is null)
            {
                throw new InvalidOperationException("output ended; so far:\n" + string.Join("\n", _seen));
            }

            _seen.Add(line);
            if (match is null || match(line))
            {
                return line;
            }
        }
    }
}
