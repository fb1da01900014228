using System.CommandLine;

namespace Weir.Cli.Commands;

/// <summary>The flux-compatible status verbs.</summary>
public static class FluxCommands
{
    public static void AddTo(RootCommand root)
    {
        root.Subcommands.Add(GetCommand.Create());
        root.Subcommands.Add(ReconcileCommand.Create());
        root.Subcommands.Add(CreateCommand.Create());
        root.Subcommands.Add(SuspendResumeCommands.Suspend());
        root.Subcommands.Add(SuspendResumeCommands.Resume());
        root.Subcommands.Add(EventsCommand.Create());
        root.Subcommands.Add(LogsCommand.Create());
        root.Subcommands.Add(TreeCommand.Create());
        root.Subcommands.Add(TraceCommand.Create());
        root.Subcommands.Add(StatsCommand.Create());
        root.Subcommands.Add(CheckCommand.Create());
        root.Subcommands.Add(BuildDiffCommands.Build());
        root.Subcommands.Add(BuildDiffCommands.Diff());
        root.Subcommands.Add(InstallCommand.Create());
    }
}
