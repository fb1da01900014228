using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Weir.Core.Api.Crds;

namespace Weir.Cli.Commands;

/// <summary><c>weir crds</c>: prints the CustomResourceDefinitions of every kind Weir serves.</summary>
public static class CrdsCommand
{
    public static Command Create()
    {
        var command = new Command("crds", "Print the CustomResourceDefinitions Weir serves, as a List that kubectl apply -f accepts");
        command.SetAction(_ => Write(Console.Out));
        return command;
    }

    public static void Write(TextWriter output)
    {
        var list = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "List",
            ["items"] = new JsonArray([.. CrdCatalog.All()]),
        };
        output.WriteLine(list.ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true,
            // Keeps <, > and quotes in descriptions readable; the output is a file, not HTML.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }));
    }
}
