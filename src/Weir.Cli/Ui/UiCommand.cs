extern alias TerminalGui;
using System.CommandLine;
using k8s;
using TerminalGui::Terminal.Gui.App;
using Weir.Cli.Commands;
using Weir.Cli.Flux;
using Weir.Cli.Output;
using Weir.Runtime.Kube;

namespace Weir.Cli.Ui;

/// <summary>
/// <c>weir ui [--kubeconfig F] [--context C] [-n NS | -A] [--readonly=false]</c>: a live terminal UI for Flux objects
/// with k9s' keys, and <c>weir status</c>'s verdict per app.
/// </summary>
public static class UiCommand
{
    public static Command Create()
    {
        var kube = new KubeOptions();
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "Watch every namespace" };
        var readOnly = new Option<bool>("--readonly") { Description = "Refuse actions (R W s r Ctrl+d) until :readonly", DefaultValueFactory = _ => true };
        var command = kube.AddTo(new Command("ui", "A live terminal UI for Flux objects (k9s keys) that answers \"did my change land?\"") { all, readOnly });
        command.SetAction(async (parse, token) =>
        {
            var path = parse.GetValue(kube.Kubeconfig);
            var ns = parse.GetValue(all) ? null : kube.Ns(parse);

            // Reading the kubeconfig and the first lists overlap the terminal's start: the first screen is due 2 s after launch.
            var connecting = Task.Run(() =>
            {
                var config = KubeOptions.Configuration(path, parse.GetValue(kube.Context));
                var client = new ResourceClient(new Kubernetes(config));
                var watch = new FluxWatch(client, ns);
                var verdicts = new AppVerdicts(client, watch);
                watch.Changed += verdicts.Refresh;
                watch.Start();
                return (Context: config.CurrentContext ?? "-", Client: client, Watch: watch, Verdicts: verdicts);
            }, token);
            var app = Application.Create().Init();
            try
            {
                // Blocking, not awaiting: Terminal.Gui runs on the thread that initialised it.
                var (context, client, watch, verdicts) = connecting.GetAwaiter().GetResult();
                await using (watch)
                {
                    var controller = new UiController(client, watch, verdicts, context, parse.GetValue(readOnly), LogsCommand.BesideKubeconfig(path));
                    Run(app, controller, watch, verdicts);
                }
            }
            finally
            {
                app.Dispose();
            }

            return CliAction.Ok;
        });
        return command;
    }

    private static void Run(IApplication app, UiController controller, FluxWatch watch, AppVerdicts verdicts)
    {
        // Only the 16 named colours, so the terminal's own palette (and 16-colour terminals) decide how they look.
        app.Driver!.Force16Colors = true;
        using var screen = new ScreenView(controller, colour: string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")));
        var pending = 0;
        controller.Redraw = () =>
        {
            if (Interlocked.Exchange(ref pending, 1) == 0)
            {
                app.Invoke(() =>
                {
                    Volatile.Write(ref pending, 0);
                    screen.SetNeedsDraw();
                });
            }
        };
        controller.Quit = () => app.RequestStop();
        app.Keyboard.KeyDown += (_, key) =>
        {
            var handled = false;
            foreach (var name in ScreenView.Names(key))
            {
                handled |= controller.HandleKey(name);
            }

            if (handled)
            {
                key.Handled = true;
                screen.SetNeedsDraw();
            }
        };
        watch.Changed += controller.Redraw;
        verdicts.Changed += controller.Redraw;

        // Ages and the next-poll countdown move with the clock: redraw each second (no API call).
        app.AddTimeout(TimeSpan.FromSeconds(1), () =>
        {
            screen.SetNeedsDraw();
            return true;
        });
        app.Run(screen);
    }
}
