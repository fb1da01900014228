using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Weir.Cli.Flux;
using Weir.Cli.Output;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>weir logs</c>: the controllers' JSON log (from <c>--log-file</c>, or <c>controllers.log</c> in the
/// <c>weir up</c> data directory) rendered as flux does: <c>&lt;ts&gt; &lt;level&gt; &lt;Kind&gt;/&lt;name&gt;.&lt;ns&gt; - &lt;msg&gt; &lt;error&gt;</c>,
/// filtered by <c>--level</c>, <c>--kind</c>, <c>--name</c> and the namespace (all with <c>-A</c>).
/// </summary>
public static class LogsCommand
{
    public static Command Create()
    {
        var kube = new KubeOptions();
        var logFile = new Option<string?>("--log-file") { Description = "Controller log file (default: controllers.log beside the kubeconfig weir up wrote, else in --data-dir)" };
        var dataDir = new Option<string>("--data-dir") { Description = "weir up data directory", DefaultValueFactory = _ => ".weir" };
        var level = new Option<string?>("--level") { Description = "Log level: debug, info or error" };
        level.AcceptOnlyFromAmong("debug", "info", "error");
        var kind = new Option<string?>("--kind") { Description = "Only lines about this kind" };
        var name = new Option<string?>("--name") { Description = "Only lines about objects with this name" };
        var all = new Option<bool>("--all-namespaces", "-A") { Description = "Lines about objects in any namespace" };
        var tail = new Option<int>("--tail") { Description = "Only the last N matching lines", DefaultValueFactory = _ => -1 };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines" };
        var command = kube.AddTo(new Command("logs", "Display formatted logs of Weir's controllers") { logFile, dataDir, level, kind, name, all, tail, follow });
        command.SetAction(async (parse, token) =>
        {
            var path = parse.GetValue(logFile) ?? BesideKubeconfig(parse.GetValue(kube.Kubeconfig)) ?? Path.Combine(parse.GetValue(dataDir)!, "controllers.log");
            if (!File.Exists(path))
            {
                throw new CliException($"no controller log found at {path}: pass --log-file or --data-dir");
            }

            var filter = new LogFilter(parse.GetValue(level), parse.GetValue(kind), parse.GetValue(name), parse.GetValue(all) ? null : kube.Ns(parse));
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            var lines = new List<string>();
            while (await reader.ReadLineAsync(token) is { } line)
            {
                if (filter.Render(line) is { } text)
                {
                    lines.Add(text);
                }
            }

            var count = parse.GetValue(tail);
            foreach (var text in count >= 0 ? lines.TakeLast(count) : lines)
            {
                Console.Out.WriteLine(text);
            }

            if (!parse.GetValue(follow))
            {
                return CliAction.Ok;
            }

            Console.Out.Flush();
            while (!token.IsCancellationRequested)
            {
                if (await reader.ReadLineAsync(token) is { } line)
                {
                    if (filter.Render(line) is { } text)
                    {
                        Console.Out.WriteLine(text);
                        Console.Out.Flush();
                    }
                }
                else
                {
                    await Task.Delay(200, token);
                }
            }

            return CliAction.Ok;
        });
        return command;
    }

    /// <summary><c>weir up</c> writes its kubeconfig and controllers.log into the same data directory.</summary>
    internal static string? BesideKubeconfig(string? kubeconfig)
    {
        var path = kubeconfig ?? Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(Path.PathSeparator).FirstOrDefault();
        var candidate = string.IsNullOrEmpty(path) ? null : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "controllers.log");
        return candidate is not null && File.Exists(candidate) ? candidate : null;
    }
}

/// <summary>One log line's filter and flux's rendering of it; null for lines that are not JSON or do not match.</summary>
public sealed record LogFilter(string? Level, string? Kind, string? Name, string? Namespace)
{
    public string? Render(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        JsonObject? entry;
        try
        {
            entry = JsonNode.Parse(line) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }

        if (entry is null)
        {
            return null;
        }

        string Field(string key) => FluxKind.Str(entry[key]);
        var kind = Field("reconciler kind") is { Length: > 0 } k ? k : Field("controllerKind");
        var matches = (Level is null || Level == Field("level"))
            && (Kind is null || string.Equals(Kind, Field("reconciler kind"), StringComparison.OrdinalIgnoreCase) || string.Equals(Kind, Field("controllerKind"), StringComparison.OrdinalIgnoreCase))
            && (Name is null || string.Equals(Name, Field("name"), StringComparison.OrdinalIgnoreCase))
            && (Namespace is null || string.Equals(Namespace, Field("namespace"), StringComparison.OrdinalIgnoreCase));
        if (!matches)
        {
            return null;
        }

        var target = Field("name") is { Length: > 0 } n ? $"{kind}/{n}.{Field("namespace")}" : kind;
        return $"{Field("ts")} {Field("level")} {target} - {Field("msg")} {Field("error")}";
    }
}
