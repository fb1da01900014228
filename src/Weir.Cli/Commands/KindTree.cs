using System.CommandLine;
using Weir.Cli.Flux;

namespace Weir.Cli.Commands;

/// <summary>
/// The per-kind sub-commands flux uses under reconcile/suspend/resume: <c>source oci|git|helm|chart|bucket</c>,
/// <c>kustomization|ks</c>, <c>helmrelease|hr</c>.
/// </summary>
public static class KindTree
{
    public static void AddTo(Command verb, Func<FluxKind, string, Command> leaf)
    {
        var source = new Command("source", "Source kinds");
        foreach (var (name, kind) in new[]
        {
            ("oci", FluxKind.OCIRepository), ("git", FluxKind.GitRepository), ("helm", FluxKind.HelmRepository),
            ("chart", FluxKind.HelmChart), ("bucket", FluxKind.Bucket),
        })
        {
            source.Subcommands.Add(leaf(kind, name));
        }

        verb.Subcommands.Add(source);
        var ks = leaf(FluxKind.Kustomization, "kustomization");
        ks.Aliases.Add("ks");
        ks.Aliases.Add("kustomizations");
        verb.Subcommands.Add(ks);
        var hr = leaf(FluxKind.HelmRelease, "helmrelease");
        hr.Aliases.Add("hr");
        hr.Aliases.Add("helmreleases");
        verb.Subcommands.Add(hr);
    }
}
