using System.CommandLine;
using Weir.Cli.Commands;

var root = new RootCommand("Weir: GitOps delivery engine compatible with Flux's APIs");
root.Subcommands.Add(VersionCommand.Create());
root.Subcommands.Add(CrdsCommand.Create());
ArtifactCommands.AddTo(root);
root.Subcommands.Add(ClusterCommand.Create());
root.Subcommands.Add(ControllerCommand.Create());
root.Subcommands.Add(UpCommand.Create());
root.Subcommands.Add(KustomizeCommand.Create());
FluxCommands.AddTo(root);
root.Subcommands.Add(StatusCommand.Create());
var parse = root.Parse(args);
// Usage errors exit 2 (flux and kubectl scripts rely on 1 meaning "failed or not ready").
return parse.Errors.Count > 0 && parse.Action is System.CommandLine.Invocation.ParseErrorAction ? Math.Max(2, parse.Invoke()) : parse.Invoke();
