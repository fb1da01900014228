using System.Diagnostics;
using Weir.Oci.Artifacts;

namespace Weir.Cli.Commands;

/// <summary>Shows transfer progress on a terminal (stderr) for transfers over 8 MiB; silent otherwise.</summary>
public sealed class TransferDisplay : IProgress<TransferProgress>, IDisposable
{
    private const long Threshold = 8L * 1024 * 1024;
    private readonly bool _enabled = !Console.IsErrorRedirected;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Lock _lock = new();
    private TimeSpan? _last;
    private bool _shown;

    public void Report(TransferProgress value)
    {
        if (!_enabled || value.Total < Threshold)
        {
            return;
        }
        lock (_lock)
        {
            if (_last is { } last && _clock.Elapsed - last < TimeSpan.FromMilliseconds(100) && value.Done < value.Total)
            {
                return;
            }
            _last = _clock.Elapsed;
            _shown = true;
            var rate = value.Done / Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
            Console.Error.Write($"\r  {Mib(value.Done),8} / {Mib(value.Total)}  {100.0 * value.Done / value.Total,5:0.0}%  {Mib((long)rate)}/s   ");
        }
    }

    /// <summary>Ends the progress line.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            if (_shown)
            {
                Console.Error.WriteLine();
                _shown = false;
            }
        }
    }

    public void Dispose() => Finish();

    private static string Mib(long bytes) => $"{bytes / 1048576.0:0.0} MiB";
}
