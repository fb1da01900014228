using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Core.Yaml;
using Weir.Kustomize;
using Weir.Kustomize.Build;
using Weir.Kustomize.Yaml;

namespace Weir.Bench.Fleets;

/// <summary>One directory whose two builds disagree (or where only one of them failed).</summary>
public sealed record Difference(string Path, string Detail);

/// <summary>Phase 1: every kustomization directory built by Weir's engine and by <c>kubectl kustomize</c>, byte for byte.</summary>
public sealed class KustomizeReplay(string kubectl)
{
    public int Directories { get; private set; }

    public int Identical { get; private set; }

    public int BothFailed { get; private set; }

    public ConcurrentBag<Difference> Differences { get; } = [];

    /// <summary>Every object Weir built, by key (for the dry-run of what no Flux Kustomization builds).</summary>
    public ConcurrentDictionary<string, JsonObject> Built { get; } = [];

    public void Run(string root)
    {
        var dirs = FleetFiles.KustomizationDirectories(root).ToList();
        Directories = dirs.Count;
        var identical = 0;
        var bothFailed = 0;
        Parallel.ForEach(dirs, new ParallelOptions { MaxDegreeOfParallelism = 2 }, dir =>
        {
            var relative = Path.GetRelativePath(root, dir);
            var (code, expected, error) = Tool.Run(kubectl, ["kustomize", relative], cwd: root);
            string? actual = null;
            string? weirError = null;
            try
            {
                var objects = Kustomizer.Build(dir);
                actual = YamlText.SerializeAll(objects);
                foreach (var obj in objects)
                {
                    Built[$"{obj.ApiVersion()}/{obj.Kind()}/{obj.Namespace()}/{obj.Name()}"] = obj;
                }
            }
            catch (Exception e) when (e is KustomizeException or YamlException or IOException or FormatException)
            {
                weirError = e.Message;
            }

            if (code != 0 && weirError is not null)
            {
                Interlocked.Increment(ref bothFailed);
            }
            else if (code != 0)
            {
                Differences.Add(new Difference(relative, $"kubectl fails ({FirstLine(error)}), Weir builds"));
            }
            else if (weirError is not null)
            {
                Differences.Add(new Difference(relative, $"Weir fails ({FirstLine(weirError)}), kubectl builds"));
            }
            else if (actual != expected)
            {
                Differences.Add(new Difference(relative, FirstDifference(expected, actual!)));
            }
            else
            {
                Interlocked.Increment(ref identical);
            }
        });
        Identical = identical;
        BothFailed = bothFailed;
    }

    public static string FirstLine(string text) => text.Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "";

    /// <summary>The first line where two texts differ, with both versions.</summary>
    public static string FirstDifference(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var left = i < a.Length ? a[i] : "<end>";
            var right = i < b.Length ? b[i] : "<end>";
            if (left != right)
            {
                return $"line {i + 1}: kubectl `{left.Trim()}` / Weir `{right.Trim()}`";
            }
        }

        return "same lines, different bytes";
    }
}
