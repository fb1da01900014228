using System.CommandLine;
using Weir.Cli.Flux;

namespace Weir.Cli.Commands;

/// <summary>
/// The per-kind sub-commands flux uses under reconcile/suspend/resume, built from the kind registry:
/// <c>source &lt;noun&gt;</c> for each source kind (<c>oci</c>, <c>git</c>, …), and for each applier its noun with its
/// plural and short names as aliases (<c>kustomization|kustomizations|ks</c>).
/// </summary>
public static class KindTree
{
    public static void AddTo(Command verb, Func<FluxKind, string, Command> leaf)
    {
        var source = new Command("source", "Source kinds");
        foreach (var kind in FluxKind.Sources)
        {
            source.Subcommands.Add(leaf(kind, kind.Noun));
        }

        verb.Subcommands.Add(source);
        foreach (var kind in FluxKind.Appliers)
        {
            var command = leaf(kind, kind.Noun);
            foreach (var alias in Aliases(kind))
            {
                command.Aliases.Add(alias);
            }

            verb.Subcommands.Add(command);
        }
    }

    /// <summary>An applier's other names: its plural and short names (the noun itself excluded).</summary>
    public static IEnumerable<string> Aliases(FluxKind kind) =>
        new[] { kind.Resource.Plural }.Concat(kind.Served.Descriptor.ShortNames).Where(a => a != kind.Noun).Distinct();
}
