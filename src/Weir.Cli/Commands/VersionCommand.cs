using System.CommandLine;
using System.Text.Json.Nodes;
using k8s;
using Weir.Cli.Flux;
using Weir.Cli.Output;
using Weir.Core;
using Weir.Core.Yaml;

namespace Weir.Cli.Commands;

/// <summary>
/// <c>weir version [--client] [-o yaml|json]</c>: the client's version and, unless <c>--client</c>, the API
/// server's (<c>/version</c>) and the image tag of the installed weir controller, if any — as flux prints them.
/// </summary>
public static class VersionCommand
{
    public static Command Create()
    {
        var kube = new KubeOptions();
        var client = new Option<bool>("--client") { Description = "Print only the client version" };
        var output = new Option<string>("--output", "-o") { Description = "yaml or json", DefaultValueFactory = _ => "yaml" };
        output.AcceptOnlyFromAmong("yaml", "json");
        var command = kube.AddTo(new Command("version", "Print the client and server versions") { client, output });
        command.SetAction(async (parse, token) =>
        {
            var info = new JsonObject { ["weir"] = WeirVersion.Current };
            if (!parse.GetValue(client))
            {
                var resources = kube.Connect(parse);
                var server = await resources.Kubernetes.Version.GetCodeAsync(token);
                info["kubernetes"] = server.GitVersion;
                foreach (var (name, image) in await Installed.ControllerImagesAsync(resources, kube.Ns(parse), token))
                {
                    info[name] = image.Contains(':') ? image[(image.LastIndexOf(':') + 1)..] : image;
                }
            }

            Console.Out.Write(parse.GetValue(output) == "json"
                ? info.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n"
                : KubeYaml.Serialize(info));
            return CliAction.Ok;
        });
        return command;
    }
}
