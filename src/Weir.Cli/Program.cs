using System.CommandLine;
using Weir.Core;

var root = new RootCommand("Weir: GitOps delivery engine compatible with Flux's APIs");
var version = new Command("version", "Print the weir version");
version.SetAction(_ => Console.Out.WriteLine($"weir {WeirVersion.Current}"));
root.Subcommands.Add(version);
root.Subcommands.Add(Weir.Cli.Commands.KustomizeCommand.Create());
return root.Parse(args).Invoke();
