using System.CommandLine;
using System.Text.Json.Nodes;
using Weir.Cli.Flux;

namespace Weir.Cli.Create;

/// <summary><c>weir create source git NAME --url … --branch|--tag|--tag-semver|--ref-name|--commit</c>, as flux's.</summary>
public sealed class GitRepositoryCreate(SourceFlags source) : ICreateKind
{
    private readonly Option<string?> _url = new("--url") { Description = "git address, e.g. ssh://git@host/org/repository" };
    private readonly Option<string?> _branch = new("--branch") { Description = "git branch" };
    private readonly Option<string?> _tag = new("--tag") { Description = "git tag" };
    private readonly Option<string?> _semver = new("--tag-semver") { Description = "git tag semver range" };
    private readonly Option<string?> _refName = new("--ref-name") { Description = "git reference name" };
    private readonly Option<string?> _commit = new("--commit") { Description = "git commit" };
    private readonly Option<string?> _username = new("--username", "-u") { Description = "basic authentication username" };
    private readonly Option<string?> _password = new("--password", "-p") { Description = "basic authentication password" };
    private readonly Option<string?> _secretRef = new("--secret-ref") { Description = "the name of an existing secret containing SSH or basic credentials" };
    private readonly Option<string?> _caFile = new("--ca-file") { Description = "path to TLS CA file used for validating self-signed certificates" };
    private readonly Option<bool> _submodules = new("--recurse-submodules") { Description = "include Git submodules in the artifact" };

    public FluxKind Kind => FluxKind.Of(Runtime.Kube.KubeResource.GitRepository);

    public string Noun => "git";

    public string Description => "Create or update a GitRepository source";

    public string Title => "GitRepository source";

    public IReadOnlyList<Option> Options =>
        [_url, _branch, _tag, _semver, _refName, _commit, _username, _password, _secretRef, _caFile, _submodules, source.IgnorePaths, source.FetchTimeout];

    public CreatedObjects Build(ParseResult parse, CreateContext context)
    {
        var url = parse.GetValue(_url) is { Length: > 0 } u ? u : throw new CliUsageException("url is required");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed))
        {
            throw new CliUsageException($"git URL parse failed: invalid URL '{url}'");
        }

        if (parsed.Scheme is not ("ssh" or "http" or "https"))
        {
            throw new CliUsageException($"git URL scheme '{parsed.Scheme}' not supported, can be: ssh, http and https");
        }

        var reference = new JsonObject();
        if (parse.GetValue(_commit) is { Length: > 0 } commit)
        {
            reference["commit"] = commit;
            reference["branch"] = parse.GetValue(_branch) is { Length: > 0 } b ? b : null;
        }
        else if (parse.GetValue(_refName) is { Length: > 0 } name)
        {
            reference["name"] = name;
        }
        else if (parse.GetValue(_semver) is { Length: > 0 } semver)
        {
            reference["semver"] = semver;
        }
        else if (parse.GetValue(_tag) is { Length: > 0 } tag)
        {
            reference["tag"] = tag;
        }
        else if (parse.GetValue(_branch) is { Length: > 0 } branch)
        {
            reference["branch"] = branch;
        }
        else
        {
            throw new CliUsageException("a Git ref is required, use one of the following: --branch, --tag, --commit, --ref-name or --tag-semver");
        }

        if (parse.GetValue(_caFile) is { Length: > 0 } && parsed.Scheme == "ssh")
        {
            throw new CliUsageException("specifying a CA file is not supported for Git over SSH");
        }

        var spec = new JsonObject { ["url"] = url, ["interval"] = context.IntervalText, ["ref"] = Compact(reference) };
        if (parse.GetValue(_submodules))
        {
            spec["recurseSubmodules"] = true;
        }

        source.Apply(parse, spec);
        if (parse.GetValue(_secretRef) is { Length: > 0 } secretRef)
        {
            spec["secretRef"] = new JsonObject { ["name"] = secretRef };
            return new CreatedObjects(context.Object(Kind.Resource, spec));
        }

        var data = new Dictionary<string, string>();
        if (parsed.Scheme != "ssh" && parse.GetValue(_username) is { Length: > 0 } user && parse.GetValue(_password) is { Length: > 0 } password)
        {
            data["username"] = user;
            data["password"] = password;
        }

        if (parse.GetValue(_caFile) is { Length: > 0 } caFile)
        {
            data["ca.crt"] = ReadFile(caFile, "unable to read TLS CA file");
        }

        return data.Count == 0
            ? new CreatedObjects(context.Object(Kind.Resource, spec))
            : new CreatedObjects(context.Object(Kind.Resource, spec), context.Secret(context.Name, data), "applying secret with repository credentials");
    }

    public string Completed(JsonObject obj) => $"fetched revision: {Kind.Revision(obj)}";

    internal static string ReadFile(string path, string what)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new CliException($"{what}: {e.Message}");
        }
    }

    private static JsonObject Compact(JsonObject obj)
    {
        foreach (var key in obj.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            obj.Remove(key);
        }

        return obj;
    }
}
