using System.CommandLine;
using Weir.Cli.Output;
using Weir.Helm.Actions;
using Weir.Helm.Charts;
using Weir.Helm.Rendering;
using Weir.Helm.Values;

namespace Weir.Cli.Commands;

/// <summary><c>weir helm template [NAME] CHART</c>: prints (or writes) what <c>helm template</c> prints, rendered in-process.</summary>
public static class HelmCommand
{
    public static Command Create() => new("helm", "Render and package Helm charts in-process, as Helm 4 does") { Template(), Package() };

    private static Command Template()
    {
        var args = new Argument<string[]>("[NAME] CHART") { Description = "Release name (default release-name) and chart directory or .tgz", Arity = new ArgumentArity(1, 2) };
        var values = Many("--values", "-f", "Values file (can repeat)");
        var set = Many("--set", null, "Set values on the command line: a.b=c,d=e (can repeat)");
        var setString = Many("--set-string", null, "Set STRING values on the command line (can repeat)");
        var setFile = Many("--set-file", null, "Set values from files: key=path (can repeat)");
        var setJson = Many("--set-json", null, "Set JSON values on the command line: key=JSON (can repeat)");
        var setLiteral = Many("--set-literal", null, "Set a literal STRING value on the command line (can repeat)");
        var ns = new Option<string>("--namespace", "-n") { Description = "Namespace of the release", DefaultValueFactory = _ => "default" };
        var kubeVersion = new Option<string?>("--kube-version") { Description = "Kubernetes version for .Capabilities.KubeVersion" };
        var apiVersions = Many("--api-versions", "-a", "Extra API versions for .Capabilities.APIVersions (can repeat, comma-separated)");
        var showOnly = Many("--show-only", "-s", "Only show manifests rendered from the given templates (can repeat)");
        var includeCrds = new Option<bool>("--include-crds") { Description = "Include CRDs in the output" };
        var skipTests = new Option<bool>("--skip-tests") { Description = "Skip test hooks" };
        var noHooks = new Option<bool>("--no-hooks") { Description = "Leave hooks out" };
        var isUpgrade = new Option<bool>("--is-upgrade") { Description = "Set .Release.IsUpgrade instead of .Release.IsInstall" };
        var outputDir = new Option<string?>("--output-dir") { Description = "Write the templates to files in this directory instead of stdout" };
        var useReleaseName = new Option<bool>("--release-name") { Description = "Use the release name in the --output-dir path" };
        var command = new Command("template", "Render a chart's templates locally and print them")
        {
            args, values, set, setString, setFile, setJson, setLiteral, ns, kubeVersion, apiVersions, showOnly, includeCrds,
            skipTests, noHooks, isUpgrade, outputDir, useReleaseName,
        };
        command.SetAction(parse =>
        {
            var positional = parse.GetValue(args)!;
            var (name, chartPath) = positional.Length == 1 ? ("release-name", positional[0]) : (positional[0], positional[1]);
            var chart = new ChartLoader().Load(chartPath);
            var userValues = new ValueOptions
            {
                ValueFiles = parse.GetValue(values)!,
                Values = parse.GetValue(set)!,
                StringValues = parse.GetValue(setString)!,
                FileValues = parse.GetValue(setFile)!,
                JsonValues = parse.GetValue(setJson)!,
                LiteralValues = parse.GetValue(setLiteral)!,
            }.Merge(Directory.GetCurrentDirectory());
            var capabilities = Capabilities.Default;
            if (parse.GetValue(kubeVersion) is { } kv)
            {
                capabilities = capabilities with { KubeVersion = ParseKubeVersion(kv) };
            }

            var upgrade = parse.GetValue(isUpgrade);
            var dir = parse.GetValue(outputDir);
            var result = TemplateAction.Run(chart, userValues, new TemplateOptions(new ReleaseOptions(name, parse.GetValue(ns)!) { IsInstall = !upgrade, IsUpgrade = upgrade })
            {
                Capabilities = capabilities.WithExtraApiVersions(parse.GetValue(apiVersions)!.SelectMany(a => a.Split(','))),
                IncludeCrds = parse.GetValue(includeCrds),
                SkipTests = parse.GetValue(skipTests),
                DisableHooks = parse.GetValue(noHooks),
                ShowOnly = parse.GetValue(showOnly)!,
                ToFiles = dir is not null,
                UseReleaseName = parse.GetValue(useReleaseName),
            });
            if (dir is null)
            {
                Console.Out.Write(result.Output);
                return CliAction.Ok;
            }

            WriteFiles(dir, result.Files);
            return CliAction.Ok;
        });
        return command;
    }

    /// <summary><c>weir helm package DIR [-d DEST]</c>: the chart archive Helm writes, <c>NAME-VERSION.tgz</c>.</summary>
    private static Command Package()
    {
        var path = new Argument<string>("CHART_PATH") { Description = "Chart directory to package" };
        var destination = new Option<string>("--destination", "-d") { Description = "Where to write the archive", DefaultValueFactory = _ => "." };
        var command = new Command("package", "Package a chart directory into a chart archive") { path, destination };
        command.SetAction(parse =>
        {
            var chart = new ChartLoader().LoadDirectory(parse.GetValue(path)!);
            var written = ChartPackager.Save(chart, parse.GetValue(destination)!);
            Console.Out.WriteLine($"Successfully packaged chart and saved it to: {Path.GetFullPath(written)}");
            return CliAction.Ok;
        });
        return command;
    }

    private static KubeVersion ParseKubeVersion(string text)
    {
        try
        {
            return KubeVersion.Parse(text);
        }
        catch (FormatException e)
        {
            throw new CliUsageException($"invalid kube version '{text}': {e.Message}");
        }
    }

    private static void WriteFiles(string directory, IReadOnlyList<KeyValuePair<string, string>> files)
    {
        var root = Path.GetFullPath(directory);
        foreach (var (relative, content) in files)
        {
            var path = Path.GetFullPath(Path.Combine(root, relative));
            if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw new ChartException($"template path {relative} leads outside {directory}");
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
            Console.Out.WriteLine($"wrote {Path.Combine(directory, relative)}");
        }
    }

    private static Option<string[]> Many(string name, string? alias, string description)
    {
        var option = alias is null ? new Option<string[]>(name) : new Option<string[]>(name, alias);
        option.Description = description;
        option.AllowMultipleArgumentsPerToken = false;
        option.DefaultValueFactory = _ => [];
        return option;
    }
}
