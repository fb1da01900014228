using System.Diagnostics;
using System.Text.RegularExpressions;
using Weir.Testing;

namespace Weir.Cli.Tests.Ui;

/// <summary>
/// <c>weir ui</c> in a real terminal: a detached tmux session on its own tmux server (socket), driven with
/// send-keys and read with capture-pane, as a user's terminal would show it.
/// </summary>
public sealed class TmuxUi : IAsyncDisposable
{
    private readonly string _socket = Path.Combine(Path.GetTempPath(), "weir-ui-" + Guid.NewGuid().ToString("N")[..12]);

    private TmuxUi()
    {
    }

    /// <summary>When the session was started: the clock the first-screen deadline runs on.</summary>
    public Stopwatch SinceStart { get; } = new();

    /// <summary>Starts <c>weir ui ARGS</c> in a <paramref name="width"/>×<paramref name="height"/> terminal.</summary>
    public static async Task<TmuxUi> StartAsync(string kubeconfig, IReadOnlyList<string> args, int width = 200, int height = 60,
        IReadOnlyDictionary<string, string>? env = null)
    {
        var ui = new TmuxUi();
        var variables = new Dictionary<string, string>
        {
            ["KUBECONFIG"] = kubeconfig,
            ["WEIR_POLL_INTERVAL"] = "200ms",
            ["TERM"] = "xterm",
        };
        foreach (var (key, value) in env ?? new Dictionary<string, string>())
        {
            variables[key] = value;
        }

        var command = "env -u NO_COLOR " + string.Join(' ', variables.Select(v => $"{v.Key}={Quote(v.Value)}"))
            + $" dotnet {Quote(WeirRun.Dll)} ui {string.Join(' ', args.Select(Quote))}; sleep 600";
        ui.SinceStart.Start();
        await ui.TmuxAsync("new-session", "-d", "-x", $"{width}", "-y", $"{height}", command);
        return ui;
    }

    /// <summary>Presses keys by tmux name (<c>j</c>, <c>Enter</c>, <c>Escape</c>, <c>C-d</c>), each on its own.</summary>
    public async Task KeysAsync(params string[] keys)
    {
        foreach (var key in keys)
        {
            await TmuxAsync("send-keys", "-t", "0", key);

            // A lone Escape followed at once by a key reads as Alt+key in any terminal: let it stand alone.
            await Task.Delay(key == "Escape" ? 600 : 30);
        }
    }

    /// <summary>Types text literally (<c>:hr</c>, <c>/my</c>) and then presses Enter.</summary>
    public async Task TypeAsync(string text, bool enter = true)
    {
        await TmuxAsync("send-keys", "-t", "0", "-l", text);
        if (enter)
        {
            await KeysAsync("Enter");
        }
    }

    /// <summary>The visible screen; with <paramref name="escapes"/> including its colour and style sequences.</summary>
    public async Task<string> ScreenAsync(bool escapes = false) =>
        (await TmuxAsync(escapes ? ["capture-pane", "-p", "-e", "-t", "0"] : ["capture-pane", "-p", "-t", "0"])).Out;

    public Task ResizeAsync(int width, int height) => TmuxAsync("resize-window", "-t", "0", "-x", $"{width}", "-y", $"{height}");

    /// <summary>Waits until the screen matches <paramref name="pattern"/> and returns that screen; fails with the last screen.</summary>
    public async Task<string> WaitForAsync(string pattern, TimeSpan? timeout = null)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        var deadline = Stopwatch.StartNew();
        var screen = "";
        while (deadline.Elapsed < (timeout ?? TimeSpan.FromSeconds(20)))
        {
            screen = await ScreenAsync();
            if (regex.IsMatch(screen))
            {
                return screen;
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException($"the screen never matched /{pattern}/ within {timeout ?? TimeSpan.FromSeconds(20)}; it shows:\n{screen}");
    }

    private async Task<ProcessResult> TmuxAsync(params string[] args)
    {
        var result = await TestProcess.RunAsync("tmux", ["-S", _socket, .. args], timeout: TimeSpan.FromSeconds(20));
        Assert.True(result.Code == 0, $"tmux {string.Join(' ', args)}: {result}");
        return result;
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public async ValueTask DisposeAsync()
    {
        await TestProcess.RunAsync("tmux", ["-S", _socket, "kill-server"], timeout: TimeSpan.FromSeconds(20));
        File.Delete(_socket);
    }
}
