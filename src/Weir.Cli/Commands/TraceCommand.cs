using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Weir.Cli.Flux;
using Weir.Cli.Output;
using Weir.Core.Objects;
using Weir.Runtime.Kube;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>weir trace KIND NAME</c> (or <c>KIND/NAME</c>): from any object to the Kustomization or HelmRelease that
/// manages it (via Flux's ownership labels) and on to its source, printed as flux's <c>---</c>-separated blocks.
/// </summary>
public static class TraceCommand
{
    private const int LabelWidth = 17;

    public static Command Create()
    {
        var kube = new KubeOptions();
        var args = new Argument<string[]>("OBJECT") { Description = "<kind>/<name> or <kind> <name>", Arity = new ArgumentArity(1, 2) };
        var apiVersion = new Option<string?>("--api-version") { Description = "apiVersion of the object's kind, when the kind is ambiguous" };
        var command = kube.AddTo(new Command("trace", "Trace an object to the Flux objects that manage it and their sources") { args, apiVersion });
        command.SetAction(async (parse, token) =>
        {
            var parts = parse.GetValue(args)!;
            var (kind, name) = parts.Length == 2 ? (parts[0], parts[1])
                : parts[0].Split('/') is [var k, var n] ? (k, n)
                : throw new CliUsageException("either `<resource>/<name>` or `<resource> <name>` is required as an argument");
            var client = kube.Connect(parse);
            var resource = await new ResourceMapper(client).ResolveAsync(kind, parse.GetValue(apiVersion), token)
                ?? throw new CliException($"failed to find object: unknown kind '{kind}'");
            var key = new ObjectKey(resource.Namespaced ? kube.Ns(parse) : "", name);
            var obj = await client.GetAsync(resource, key, token)
                ?? throw new CliException($"failed to find object: {resource.Kind} '{name}' not found" + (resource.Namespaced ? $" in \"{key.Namespace}\" namespace" : ""));
            Console.Out.Write(await TraceAsync(new FluxQuery(client), obj, token));
            return CliAction.Ok;
        });
        return command;
    }

    /// <summary>The trace report of an object; throws when no Flux object manages it.</summary>
    public static async Task<string> TraceAsync(FluxQuery query, JsonObject obj, CancellationToken token)
    {
        var sb = new StringBuilder("\n");
        Line(sb, "Object", $"{obj.Kind()}/{obj.Name()}");
        if (obj.Namespace().Length > 0)
        {
            Line(sb, "Namespace", obj.Namespace());
        }

        Line(sb, "Status", "Managed by Flux");
        var (owner, ownerKey) = obj.Label("kustomize.toolkit.fluxcd.io/name") is { } ksName
            ? (FluxKind.Kustomization, new ObjectKey(obj.Label("kustomize.toolkit.fluxcd.io/namespace") ?? "", ksName))
            : obj.Label("helm.toolkit.fluxcd.io/name") is { } hrName
                ? (FluxKind.HelmRelease, new ObjectKey(obj.Label("helm.toolkit.fluxcd.io/namespace") ?? "", hrName))
                : throw new CliException("object not managed by Flux");

        await AppendManagerAsync(sb, query, owner, ownerKey, token);
        return sb.ToString();
    }

    /// <summary>The block of a Kustomization or HelmRelease and the block of its source, each after a <c>---</c>.</summary>
    public static async Task AppendManagerAsync(StringBuilder sb, FluxQuery query, FluxKind owner, ObjectKey ownerKey, CancellationToken token)
    {
        var managing = await query.GetAsync(owner, ownerKey, token);
        sb.Append("---\n");
        Line(sb, owner.Kind, ownerKey.Name);
        Line(sb, "Namespace", ownerKey.Namespace);
        if (FluxKind.Str(managing["spec"]?["targetNamespace"]) is { Length: > 0 } target)
        {
            Line(sb, "Target", target);
        }

        if (owner == FluxKind.Kustomization)
        {
            Line(sb, "Path", FluxKind.Str(managing["spec"]?["path"]));
            Line(sb, "Revision", FluxKind.Str(managing["status"]?["lastAppliedRevision"]));
        }
        else
        {
            Line(sb, "Revision", FluxKind.Str(managing["status"]?["lastAttemptedRevision"]));
        }

        Status(sb, managing, failedWording: false);
        if (SourceReference.Of(managing) is { } source && await query.Client.GetAsync(source.Kind.Resource, source.Key, token) is { } src)
        {
            AppendSource(sb, source.Kind, src);
        }
    }

    /// <summary>A source's block after a <c>---</c>: URL, reference, chart, artifact revision and origin, status.</summary>
    public static void AppendSource(StringBuilder sb, FluxKind kind, JsonObject src)
    {
        sb.Append("---\n");
        Line(sb, kind.Kind, src.Name());
        Line(sb, "Namespace", src.Namespace());
        if (FluxKind.Str(src["spec"]?["url"]) is { Length: > 0 } url)
        {
            Line(sb, "URL", url);
        }

        if (src["spec"]?["ref"] is JsonObject reference)
        {
            if (FluxKind.Str(reference["tag"]) is { Length: > 0 } tag)
            {
                Line(sb, "Tag", tag);
            }
            else if (FluxKind.Str(reference["semver"]) is { Length: > 0 } semver)
            {
                Line(sb, "Tag", semver);
            }
            else if (FluxKind.Str(reference["digest"]) is { Length: > 0 } digest)
            {
                Line(sb, "Digest", digest);
            }
            else if (FluxKind.Str(reference["branch"]) is { Length: > 0 } branch)
            {
                Line(sb, "Branch", branch);
            }
        }

        if (src["spec"]?["chart"] is JsonValue chart)
        {
            Line(sb, "Chart", chart.ToString());
            Line(sb, "Version", FluxKind.Str(src["spec"]?["version"]));
        }

        if (src["status"]?["artifact"] is JsonObject artifact)
        {
            Line(sb, "Revision", FluxKind.Str(artifact["revision"]));
            if (FluxKind.Str(artifact["metadata"]?["org.opencontainers.image.source"]) is { Length: > 0 } originSource)
            {
                Line(sb, "Origin Source", originSource);
            }

            if (FluxKind.Str(artifact["metadata"]?["org.opencontainers.image.revision"]) is { Length: > 0 } originRevision)
            {
                Line(sb, "Origin Revision", originRevision);
            }
        }

        Status(sb, src, failedWording: true);
    }

    private static void Status(StringBuilder sb, JsonObject obj, bool failedWording)
    {
        if (FluxStatus.FindCondition(obj, "Ready") is not { } ready)
        {
            Line(sb, "Status", "Unknown");
            return;
        }

        var at = GoTime(FluxKind.Str(ready["lastTransitionTime"]));
        Line(sb, "Status", failedWording && FluxKind.Str(ready["status"]) == "False" ? $"Last reconciliation failed at {at}" : $"Last reconciled at {at}");
        Line(sb, "Message", FluxKind.Str(ready["message"]));
    }

    /// <summary>How Go prints a metav1.Time: <c>2006-01-02 15:04:05 +0000 UTC</c>.</summary>
    private static string GoTime(string rfc3339) =>
        DateTimeOffset.TryParse(rfc3339, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss '+0000 UTC'", CultureInfo.InvariantCulture)
            : rfc3339;

    private static void Line(StringBuilder sb, string label, string value) =>
        sb.Append((label + ":").PadRight(LabelWidth)).Append(value).Append('\n');
}
