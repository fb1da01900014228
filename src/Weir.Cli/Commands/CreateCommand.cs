using System.CommandLine;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Weir.Cli.Create;
using Weir.Cli.Create.Secrets;
using Weir.Cli.Flux;
using Weir.Cli.Output;
using Weir.Core.Objects;
using Weir.Core.Time;
using Weir.Core.Yaml;
using Weir.Runtime.Kube;

namespace Weir.Cli.Commands;

/// <summary>
/// flux's <c>create</c> verbs: <c>create source git|oci|helm|bucket NAME</c>, <c>create kustomization|ks NAME</c>,
/// <c>create helmrelease|hr NAME</c>, <c>create secret git|helm|oci NAME</c> with flux's flags. With <c>--export</c> the object is printed as flux prints it
/// (a <c>---</c> line, then YAML with sorted keys); otherwise it (and a Secret with credentials given as flags) is
/// created or updated, and the command waits, up to <c>--timeout</c>, until it is ready.
/// </summary>
public sealed partial class CreateCommand
{
    private readonly KubeOptions _kube = new();
    private readonly Option<string> _interval = new("--interval") { Description = "source sync interval", DefaultValueFactory = _ => "1m0s", Recursive = true };
    private readonly Option<bool> _export = new("--export") { Description = "export in YAML format to stdout", Recursive = true };
    private readonly Option<string[]> _labels = new("--label") { Description = "set labels on the resource (can specify multiple labels with commas: label1=value1,label2=value2)", Recursive = true };

    public static Command Create() => new CreateCommand().Build();

    private Command Build()
    {
        var create = _kube.AddTo(new Command("create", "Create or update sources and resources") { _interval, _export, _labels });
        var sources = new SourceFlags();
        var source = new Command("source", "Create or update sources");
        foreach (var kind in new ICreateKind[] { new GitRepositoryCreate(sources), new OCIRepositoryCreate(sources), new HelmRepositoryCreate(sources), new BucketCreate(sources) })
        {
            source.Subcommands.Add(Leaf(kind));
        }

        create.Subcommands.Add(source);
        var secret = new Command("secret", "Create or update Kubernetes secrets");
        foreach (var kind in new ISecretKind[] { new GitSecretCreate(), new HelmSecretCreate(), new OciSecretCreate() })
        {
            secret.Subcommands.Add(SecretLeaf(kind));
        }

        create.Subcommands.Add(secret);
        foreach (var kind in new ICreateKind[] { new KustomizationCreate(), new HelmReleaseCreate() })
        {
            var command = Leaf(kind);
            foreach (var alias in KindTree.Aliases(kind.Kind).Where(a => a != kind.Kind.Resource.Plural))
            {
                command.Aliases.Add(alias);
            }

            create.Subcommands.Add(command);
        }

        return create;
    }

    private Command Leaf(ICreateKind kind)
    {
        var name = new Argument<string?>("NAME") { Description = $"{kind.Kind.Kind} name", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command(kind.Noun, kind.Description) { name };
        foreach (var option in kind.Options)
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, token) => RunAsync(parse, kind, parse.GetValue(name), token));
        return command;
    }

    private Command SecretLeaf(ISecretKind kind)
    {
        var name = new Argument<string?>("NAME") { Description = "Secret name", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command(kind.Noun, kind.Description) { name };
        foreach (var option in kind.Options)
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, token) => RunSecretAsync(parse, kind, parse.GetValue(name), token));
        return command;
    }

    /// <summary>
    /// A Secret: printed with <c>--export</c> as flux prints it (its YAML, then an empty line), otherwise created or
    /// updated. Its values are never logged; only an SSH public key (flux's "deploy key") is shown.
    /// </summary>
    private async Task<int> RunSecretAsync(ParseResult parse, ISecretKind kind, string? name, CancellationToken token)
    {
        var context = ContextOf(parse, name);
        var secret = await kind.BuildAsync(parse, context, token);
        if (parse.GetValue(_export))
        {
            Console.Out.Write("---\n" + KubeYaml.Serialize(secret, new YamlOptions { SortKeys = true }) + "\n");
            return CliAction.Ok;
        }

        var client = _kube.Connect(parse);
        var log = CliLog.Stderr;
        if (secret["stringData"]?["identity.pub"]?.GetValue<string>() is { } deployKey)
        {
            log.Generate($"deploy key: {deployKey.TrimEnd()}");
        }

        await UpsertAsync(client, KubeResource.Secret, secret, token);
        log.Action($"{kind.Noun} secret '{context.Name}' created in '{context.Namespace}' namespace");
        return CliAction.Ok;
    }

    private CreateContext ContextOf(ParseResult parse, string? name)
    {
        if (name is not { Length: > 0 })
        {
            throw new CliUsageException("name is required");
        }

        if (!ObjectName().IsMatch(name))
        {
            throw new CliUsageException($"name '{name}' is invalid, it should adhere to standard defined in RFC 1123, the name can only contain alphanumeric characters or '-'");
        }

        var interval = parse.GetValue(_interval)!;
        if (!FluxDuration.TryParse(interval, out var every))
        {
            throw new CliUsageException($"invalid argument \"{interval}\" for \"--interval\" flag: time: invalid duration \"{interval}\"");
        }

        return new CreateContext(name, _kube.Ns(parse), Labels(parse), every);
    }

    private async Task<int> RunAsync(ParseResult parse, ICreateKind kind, string? name, CancellationToken token)
    {
        var context = ContextOf(parse, name);
        var built = kind.Build(parse, context);
        if (parse.GetValue(_export))
        {
            Console.Out.Write("---\n" + KubeYaml.Serialize(built.Object, new YamlOptions { SortKeys = true }));
            return CliAction.Ok;
        }

        var client = _kube.Connect(parse);
        var log = CliLog.Stderr;
        var key = new ObjectKey(context.Namespace, context.Name);
        log.Generate($"generating {kind.Title}");
        if (built.Secret is { } secret)
        {
            log.Action(built.SecretMessage ?? "applying secret");
            await UpsertAsync(client, KubeResource.Secret, secret, token);
            log.Success("authentication configured");
        }

        log.Action($"applying {kind.Title}");
        var created = await UpsertAsync(client, kind.Kind.Resource, built.Object, token);
        log.Success($"{kind.Title} {(created ? "created" : "updated")}");
        log.Waiting($"waiting for {kind.Title} reconciliation");
        var request = new ReconcileRequest(client, log, _kube.TimeoutOf(parse));
        var obj = await request.WaitAsync(kind.Kind, key, KStatus.IsReady, token);
        var ready = FluxStatus.FindCondition(obj, "Ready");
        if (FluxKind.Str(ready?["status"]) != "True")
        {
            throw new CliException($"{kind.Kind.Kind} reconciliation failed: '{FluxKind.Str(ready?["message"])}'");
        }

        log.Success(kind.Kind.Role == Core.Api.Crds.KindRole.Source ? $"{kind.Title} reconciliation completed" : $"{kind.Kind.Kind} {context.Name} is ready");
        log.Success(kind.Completed(obj));
        return CliAction.Ok;
    }

    /// <summary>Creates the object, or replaces the labels and spec (a Secret's data) of the one there; true when created.</summary>
    private static async Task<bool> UpsertAsync(ResourceClient client, KubeResource resource, JsonObject desired, CancellationToken token)
    {
        var key = desired.Key();
        if (await client.GetAsync(resource, key, token) is not { } existing)
        {
            await client.CreateAsync(resource, desired, token);
            return true;
        }

        existing["metadata"]!.AsObject()["labels"] = desired["metadata"]!["labels"]?.DeepClone();
        foreach (var field in new[] { "spec", "stringData" })
        {
            if (desired[field] is { } value)
            {
                existing[field] = value.DeepClone();
            }
        }

        if (desired["stringData"] is not null)
        {
            existing.Remove("data");
        }

        await client.ReplaceAsync(resource, existing, token);
        return false;
    }

    private IReadOnlyDictionary<string, string> Labels(ParseResult parse)
    {
        var labels = new Dictionary<string, string>();
        foreach (var label in CreateFlags.List(parse, _labels))
        {
            var parts = label.Split('=');
            if (parts.Length != 2)
            {
                throw new CliUsageException($"invalid label format '{label}', must be key=value");
            }

            labels[parts[0]] = parts[1];
        }

        return labels;
    }

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9\-]){0,61}[a-z0-9]$")]
    private static partial Regex ObjectName();
}
