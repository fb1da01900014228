using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Weir.Core.Api.Crds;
using Weir.Core.Yaml;

namespace Weir.Cli.Commands;

/// <summary><c>weir crds</c>: prints the CustomResourceDefinitions of every kind Weir serves.</summary>
public static class CrdsCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output", "-o")
        {
            Description = "Output format: yaml (a multi-document stream) or json (a v1 List)",
            DefaultValueFactory = _ => "yaml",
        };
        output.AcceptOnlyFromAmong("yaml", "json");
        var command = new Command("crds", "Print the CustomResourceDefinitions Weir serves; kubectl apply -f accepts either format") { output };
        command.SetAction(result => Write(Console.Out, result.GetValue(output)!));
        return command;
    }

    public static void Write(TextWriter output, string format = "yaml")
    {
        if (format == "yaml")
        {
            output.Write(KubeYaml.SerializeAll(CrdCatalog.All()));
            return;
        }

        var list = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "List",
            ["items"] = new JsonArray([.. CrdCatalog.All().Select(c => c.DeepClone())]),
        };
        output.WriteLine(list.ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true,
            // Keeps <, > and quotes in descriptions readable; the output is a file, not HTML.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }));
    }
}
