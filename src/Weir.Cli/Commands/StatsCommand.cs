using System.CommandLine;
using System.Globalization;
using Weir.Cli.Flux;
using Weir.Cli.Output;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>weir stats [-A]</c>: per kind, how many objects run, fail (Ready=False) and are suspended, and the storage
/// their artifacts take — flux's RECONCILERS RUNNING FAILING SUSPENDED STORAGE table.
/// </summary>
public static class StatsCommand
{
    public static Command Create()
    {
        var kube = new KubeOptions();
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "Count objects in every namespace" };
        var command = kube.AddTo(new Command("stats", "Stats of Flux reconcilers") { all });
        command.SetAction(async (parse, token) =>
        {
            var query = new FluxQuery(kube.Connect(parse));
            var ns = parse.GetValue(all) ? null : kube.Ns(parse);
            var rows = new List<string[]>();
            foreach (var kind in FluxKind.InStatsOrder)
            {
                var items = await query.ListAsync(kind, ns, cancellationToken: token);
                var suspended = items.Count(i => FluxStatus.From(kind, i).Suspended);
                var failing = items.Count(i => FluxStatus.FindCondition(i, "Ready") is { } r && FluxKind.Str(r["status"]) == "False");
                var size = items.Sum(i => i["status"]?["artifact"]?["size"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<long>(out var n) ? n : 0);
                rows.Add([kind.Kind, Int(items.Count - suspended), Int(failing), Int(suspended), FormatSize(size)]);
            }

            Console.Out.Write(FluxTable.Render(["Reconcilers", "Running", "Failing", "Suspended", "Storage"], rows));
            return CliAction.Ok;
        });
        return command;
    }

    private static string Int(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>"-" for nothing, bytes below 1 KiB, else one decimal and a binary unit ("1.5 KiB").</summary>
    public static string FormatSize(long bytes)
    {
        if (bytes == 0)
        {
            return "-";
        }

        if (bytes < 1024)
        {
            return $"{bytes} B";
        }

        long div = 1024;
        var exp = 0;
        for (var n = bytes / 1024; n >= 1024; n /= 1024)
        {
            div *= 1024;
            exp++;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{(double)bytes / div:0.0} {"KMGTPE"[exp]}iB");
    }
}
