using System.CommandLine;
using Weir.Cli.Commands;
using Weir.Cli.Output;

var root = new RootCommand("Weir: GitOps delivery engine compatible with Flux's APIs");
root.Subcommands.Add(VersionCommand.Create());
root.Subcommands.Add(CrdsCommand.Create());
ArtifactCommands.AddTo(root);
ChartCommands.AddTo(root);
root.Subcommands.Add(ClusterCommand.Create());
root.Subcommands.Add(ControllerCommand.Create());
root.Subcommands.Add(UpCommand.Create());
root.Subcommands.Add(KustomizeCommand.Create());
root.Subcommands.Add(HelmCommand.Create());
FluxCommands.AddTo(root);
root.Subcommands.Add(StatusCommand.Create());
root.Subcommands.Add(Weir.Cli.Ui.UiCommand.Create());

// Usage errors exit 2 (flux and kubectl scripts rely on 1 meaning "failed or not ready").
return CliAction.Invoke(root.Parse(args));
