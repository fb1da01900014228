using System.CommandLine;
using Weir.Cli.Output;
using Weir.Oci.Artifacts;
using Weir.Oci.Auth;
using Weir.Oci.Distribution;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>weir push|tag|list|pull artifact(s)</c>: publish and fetch Flux OCI artifacts, as CI
/// does with <c>flux push artifact</c>. Options are parsed here; the work is Weir.Oci's.
/// </summary>
public static class ArtifactCommands
{
    internal static readonly Option<string?> Creds = new("--creds") { Description = "registry credentials as USER:PASSWORD" };
    internal static readonly Option<bool> Insecure = new("--insecure", "--insecure-registry") { Description = "use plain HTTP" };

    /// <summary>Adds the artifact verbs under root's push/tag/list/pull commands (created when missing).</summary>
    public static void AddTo(RootCommand root)
    {
        Verb(root, "push", "Push artifacts to a registry").Subcommands.Add(Push());
        Verb(root, "tag", "Tag artifacts in a registry").Subcommands.Add(Tag());
        Verb(root, "list", "List artifacts in a registry").Subcommands.Add(List());
        Verb(root, "pull", "Pull artifacts from a registry").Subcommands.Add(Pull());
    }

    /// <summary>The verb command <paramref name="name"/> under root, created when missing.</summary>
    internal static Command Verb(RootCommand root, string name, string description)
    {
        var existing = root.Subcommands.FirstOrDefault(c => c.Name == name);
        if (existing is not null)
        {
            return existing;
        }
        var verb = new Command(name, description);
        root.Subcommands.Add(verb);
        return verb;
    }

    private static Command Push()
    {
        var url = new Argument<string>("url") { Description = "oci://HOST/REPOSITORY:TAG" };
        var path = new Option<string>("--path", "-f") { Description = "directory or file to pack", Required = true };
        var source = new Option<string?>("--source") { Description = "source address recorded as org.opencontainers.image.source" };
        var revision = new Option<string?>("--revision") { Description = "source revision recorded as org.opencontainers.image.revision" };
        var cmd = new Command("artifact", "Pack a directory as a Flux artifact and push it; prints the digest") { url, path, source, revision, Creds, Insecure };
        cmd.SetAction((parse, ct) => Run(async () =>
        {
            var target = OciReference.Parse(parse.GetValue(url)!);
            await Console.Error.WriteLineAsync($"► pushing artifact to {target}");
            using var progress = new TransferDisplay();
            var result = await new ArtifactClient(Options(parse)).PushAsync(target, parse.GetValue(path)!,
                new ArtifactMetadata(parse.GetValue(source), parse.GetValue(revision)), progress: progress, ct: ct);
            progress.Finish();
            await Console.Error.WriteLineAsync($"✔ artifact successfully pushed to {target.Name}@{result.Digest}");
            await Console.Out.WriteLineAsync(result.Digest);
        }));
        return cmd;
    }

    private static Command Tag()
    {
        var url = new Argument<string>("url") { Description = "oci://HOST/REPOSITORY:TAG of the existing artifact" };
        var tag = new Option<string>("--tag") { Description = "the tag to add", Required = true };
        var cmd = new Command("artifact", "Add a tag to an artifact; prints the digest") { url, tag, Creds, Insecure };
        cmd.SetAction((parse, ct) => Run(async () =>
        {
            var source = OciReference.Parse(parse.GetValue(url)!);
            var newTag = parse.GetValue(tag)!;
            var digest = await new ArtifactClient(Options(parse)).TagAsync(source, newTag, ct);
            await Console.Error.WriteLineAsync($"✔ artifact tagged as {source.WithTag(newTag)}");
            await Console.Out.WriteLineAsync(digest);
        }));
        return cmd;
    }

    private static Command List()
    {
        var url = new Argument<string>("url") { Description = "oci://HOST/REPOSITORY" };
        var semver = new Option<string?>("--filter-semver") { Description = "only tags matching this semver range" };
        var regex = new Option<string?>("--filter-regex") { Description = "only tags matching this regular expression" };
        var cmd = new Command("artifacts", "List the tags of a repository with digest, source and revision") { url, semver, regex, Creds, Insecure };
        cmd.SetAction((parse, ct) => Run(async () =>
        {
            var repository = OciReference.Parse(parse.GetValue(url)!);
            var artifacts = await new ArtifactClient(Options(parse)).ListAsync(repository, parse.GetValue(semver), parse.GetValue(regex), ct);
            var rows = artifacts.Select(a => new[] { a.Reference.ToString(), a.Digest, a.Source ?? "", a.Revision ?? "" });
            await Console.Out.WriteAsync(TextTable.Render(["ARTIFACT", "DIGEST", "SOURCE", "REVISION"], rows));
        }));
        return cmd;
    }

    private static Command Pull()
    {
        var url = new Argument<string>("url") { Description = "oci://HOST/REPOSITORY:TAG or oci://HOST/REPOSITORY@sha256:…" };
        var output = new Option<string>("--output", "-o") { Description = "directory to extract into", Required = true };
        var cmd = new Command("artifact", "Pull an artifact and extract its content") { url, output, Creds, Insecure };
        cmd.SetAction((parse, ct) => Run(async () =>
        {
            var source = OciReference.Parse(parse.GetValue(url)!);
            await Console.Error.WriteLineAsync($"► pulling artifact from {source}");
            using var progress = new TransferDisplay();
            var result = await new ArtifactClient(Options(parse)).PullAsync(source, parse.GetValue(output)!, progress: progress, ct: ct);
            progress.Finish();
            if (result.Annotations.TryGetValue(ArtifactClient.SourceAnnotation, out var src))
            {
                await Console.Error.WriteLineAsync($"✔ source {src}");
            }
            if (result.Annotations.TryGetValue(ArtifactClient.RevisionAnnotation, out var rev))
            {
                await Console.Error.WriteLineAsync($"✔ revision {rev}");
            }
            await Console.Error.WriteLineAsync($"✔ extracted artifact {result.Revision} to {parse.GetValue(output)}");
        }));
        return cmd;
    }

    internal static RegistryClientOptions Options(ParseResult parse) => new()
    {
        Insecure = parse.GetValue(Insecure),
        Credentials = parse.GetValue(Creds) is { Length: > 0 } c ? RegistryCredentials.Parse(c) : null,
    };

    private static async Task<int> Run(Func<Task> action)
    {
        await action();
        return CliAction.Ok;
    }
}
