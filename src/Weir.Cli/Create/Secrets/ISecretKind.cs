using System.CommandLine;
using System.Text.Json.Nodes;

namespace Weir.Cli.Create.Secrets;

/// <summary>One <c>weir create secret</c> sub-command: its flux flags and the Secret they describe.</summary>
public interface ISecretKind
{
    /// <summary>The sub-command and flux's word for the Secret in its closing line: <c>git</c>, <c>helm</c>, <c>oci</c>.</summary>
    string Noun { get; }

    string Description { get; }

    IReadOnlyList<Option> Options { get; }

    /// <summary>The Secret the flags describe; a <see cref="CliUsageException"/> names a missing or invalid flag.</summary>
    Task<JsonObject> BuildAsync(ParseResult parse, CreateContext context, CancellationToken cancellationToken);
}
