using System.CommandLine;
using Weir.Cli.Output;
using Weir.Kustomize.Build;
using Weir.Kustomize.Loading;

namespace Weir.Cli.Commands;

/// <summary><c>weir kustomize build DIR</c>: prints what <c>kubectl kustomize DIR</c> prints.</summary>
public static class KustomizeCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "Directory holding a kustomization", DefaultValueFactory = _ => "." };
        var restrictor = new Option<string>("--load-restrictor")
        {
            Description = "LoadRestrictionsRootOnly (default) or LoadRestrictionsNone",
            DefaultValueFactory = _ => "LoadRestrictionsRootOnly",
        };
        restrictor.AcceptOnlyFromAmong("LoadRestrictionsRootOnly", "LoadRestrictionsNone");
        var build = new Command("build", "Build a kustomization directory and print the resources as YAML") { dir, restrictor };
        build.SetAction(parse =>
        {
            var options = new BuildOptions(parse.GetValue(restrictor) == "LoadRestrictionsNone" ? LoadRestriction.None : LoadRestriction.RootOnly);
            Console.Out.Write(Kustomizer.BuildYaml(parse.GetValue(dir)!, options));
            return CliAction.Ok;
        });
        return new Command("kustomize", "Build kustomizations in-process, as kustomize v5 does") { build };
    }
}
