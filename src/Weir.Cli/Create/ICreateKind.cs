using System.CommandLine;
using System.Text.Json.Nodes;
using Weir.Cli.Flux;

namespace Weir.Cli.Create;

/// <summary>One <c>weir create</c> sub-command: its flux flags and the object they describe.</summary>
public interface ICreateKind
{
    FluxKind Kind { get; }

    /// <summary>The sub-command: <c>git</c> under <c>source</c>, <c>kustomization</c>.</summary>
    string Noun { get; }

    string Description { get; }

    /// <summary>flux's name for it in progress lines: <c>GitRepository source</c>, <c>Kustomization</c>.</summary>
    string Title { get; }

    IReadOnlyList<Option> Options { get; }

    /// <summary>The object the flags describe; a <see cref="CliUsageException"/> names a missing or invalid flag.</summary>
    CreatedObjects Build(ParseResult parse, CreateContext context);

    /// <summary>flux's closing line once the object is ready (<c>fetched revision: …</c>, <c>applied revision …</c>).</summary>
    string Completed(JsonObject obj);
}
