using System.CommandLine;
using Weir.Cli.Output;
using Weir.Helm.Charts;
using Weir.Helm.Registry;
using Weir.Oci.Distribution;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>weir push chart</c> and <c>weir pull chart</c>: Helm charts in an OCI registry, stored as <c>helm push</c>
/// stores them, so Helm, Flux's HelmChart and Weir's read each other's. Options are parsed here; the work is Weir.Helm's.
/// </summary>
public static class ChartCommands
{
    /// <summary>Adds the chart verbs under root's push and pull commands.</summary>
    public static void AddTo(RootCommand root)
    {
        ArtifactCommands.Verb(root, "push", "Push artifacts to a registry").Subcommands.Add(Push());
        ArtifactCommands.Verb(root, "pull", "Pull artifacts from a registry").Subcommands.Add(Pull());
    }

    private static Command Push()
    {
        var chart = new Argument<string>("chart") { Description = "packaged chart (.tgz) or chart directory (packaged first)" };
        var url = new Argument<string>("url") { Description = "oci://HOST/REPOSITORY: the chart goes to REPOSITORY/NAME:VERSION" };
        var cmd = new Command("chart", "Push a Helm chart to an OCI registry as helm push does; prints the reference and digest")
        {
            chart, url, ArtifactCommands.Creds, ArtifactCommands.Insecure,
        };
        cmd.SetAction((parse, ct) => Run(async () =>
        {
            var archive = Package(parse.GetValue(chart)!);
            var result = await new ChartRegistryClient(ArtifactCommands.Options(parse)).PushAsync(OciReference.Parse(parse.GetValue(url)!), archive, ct: ct);
            await Console.Out.WriteLineAsync($"Pushed: {result.Reference.Name}:{result.Reference.Tag}");
            await Console.Out.WriteLineAsync($"Digest: {result.Digest}");
        }));
        return cmd;
    }

    private static Command Pull()
    {
        var url = new Argument<string>("url") { Description = "oci://HOST/REPOSITORY/NAME, with :TAG or @sha256:… or --version" };
        var version = new Option<string?>("--version") { Description = "chart version or semver range (default: the highest)" };
        var destination = new Option<string>("--destination", "-d") { Description = "directory to write NAME-VERSION.tgz into", DefaultValueFactory = _ => "." };
        var cmd = new Command("chart", "Pull a Helm chart from an OCI registry and save it as NAME-VERSION.tgz")
        {
            url, version, destination, ArtifactCommands.Creds, ArtifactCommands.Insecure,
        };
        cmd.SetAction((parse, ct) => Run(async () =>
        {
            var result = await new ChartRegistryClient(ArtifactCommands.Options(parse)).PullAsync(OciReference.Parse(parse.GetValue(url)!), parse.GetValue(version), ct);
            var metadata = new ChartLoader().LoadArchive(new MemoryStream(result.Archive, writable: false)).Metadata;
            var dir = parse.GetValue(destination)!;
            Directory.CreateDirectory(dir);
            var path = Path.Combine(dir, $"{metadata.Name}-{metadata.Version}.tgz");
            await File.WriteAllBytesAsync(path, result.Archive, ct);
            await Console.Out.WriteLineAsync($"Pulled: {result.Reference.Name}:{result.Reference.Tag ?? result.Digest}");
            await Console.Out.WriteLineAsync($"Digest: {result.Digest}");
        }));
        return cmd;
    }

    private static byte[] Package(string path)
    {
        if (File.Exists(path))
        {
            return File.ReadAllBytes(path);
        }

        using var archive = new MemoryStream();
        var chart = new ChartLoader().Load(path);
        chart.Metadata.Validate();
        ChartPackager.Write(chart, archive);
        return archive.ToArray();
    }

    private static async Task<int> Run(Func<Task> action)
    {
        await action();
        return CliAction.Ok;
    }
}
