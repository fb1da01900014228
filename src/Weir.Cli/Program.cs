using System.CommandLine;
using Weir.Cli.Commands;
using Weir.Core;

var root = new RootCommand("Weir: GitOps delivery engine compatible with Flux's APIs");
var version = new Command("version", "Print the weir version");
version.SetAction(_ => Console.Out.WriteLine($"weir {WeirVersion.Current}"));
root.Subcommands.Add(version);
root.Subcommands.Add(CrdsCommand.Create());
ArtifactCommands.AddTo(root);
root.Subcommands.Add(ClusterCommand.Create());
root.Subcommands.Add(ControllerCommand.Create());
root.Subcommands.Add(UpCommand.Create());
root.Subcommands.Add(KustomizeCommand.Create());
root.Subcommands.Add(StatusCommand.Create());
return root.Parse(args).Invoke();
