using System.CommandLine;
using k8s;
using Weir.Cli.Status;
using Weir.Runtime.Kube;

namespace Weir.Cli.Commands;

/// <summary><c>weir status APP</c>: is version V of the app live, and if not, which link of the chain holds it up.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var app = new Argument<string>("APP") { Description = "Name of the app's OCIRepository" };
        var version = new Option<string?>("--version") { Description = "The version to ask about (default: the newest semver tag in the registry)" };
        var output = new Option<string>("--output", "-o") { Description = "Output format: text or json", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        var ns = new Option<string>("--namespace", "-n") { Description = "Namespace of the OCIRepository", DefaultValueFactory = _ => "flux-system" };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Path to a kubeconfig (default: $KUBECONFIG or ~/.kube/config)" };
        var context = new Option<string?>("--context") { Description = "kubeconfig context to use" };
        var command = new Command("status", "Tell whether a version of an app is live, and if not, why: registry, source, Kustomizations, workloads")
        {
            app, version, output, ns, kubeconfig, context,
        };
        command.SetAction(async (parse, token) =>
        {
            // kubectl's order: --kubeconfig, then the first file of $KUBECONFIG, then ~/.kube/config.
            var path = parse.GetValue(kubeconfig)
                ?? Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(Path.PathSeparator).FirstOrDefault(p => p.Length > 0);
            var config = path is not null
                ? KubernetesClientConfiguration.BuildConfigFromConfigFile(path, parse.GetValue(context))
                : KubernetesClientConfiguration.BuildConfigFromConfigFile(currentContext: parse.GetValue(context));
            var client = new ResourceClient(new Kubernetes(config));
            var name = parse.GetValue(app)!;
            var namespaceName = parse.GetValue(ns)!;
            var answer = await new AppStatusQuery(client).AskAsync(namespaceName, name, parse.GetValue(version), token);
            var report = answer.Report ?? throw new CliException(answer.Problem!);
            if (parse.GetValue(output) == "json")
            {
                StatusPrinter.WriteJson(report, Console.Out);
            }
            else
            {
                StatusPrinter.WriteText(report, Console.Out);
            }

            return report.ExitCode;
        });
        return command;
    }
}
