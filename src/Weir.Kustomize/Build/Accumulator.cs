using Weir.Kustomize.Config;
using Weir.Kustomize.Model;
using Weir.Kustomize.Transformers;

namespace Weir.Kustomize.Build;

/// <summary>What a kustomization and the ones below it have accumulated: resources, field-spec config, vars.</summary>
public sealed class Accumulator
{
    public ResourceMap Resources { get; } = new();

    public TransformerConfig Config { get; } = TransformerConfig.Default();

    public List<VarDefinition> Vars { get; } = [];

    public void Merge(Accumulator other)
    {
        Resources.AppendAll(other.Resources.Resources);
        Config.Merge(other.Config);
        foreach (var v in other.Vars)
        {
            AddVar(v);
        }
    }

    public void AddVar(VarDefinition v)
    {
        if (Vars.Any(existing => existing.Name == v.Name))
        {
            throw new KustomizeException($"var '{v.Name}' already encountered");
        }

        Vars.Add(v);
    }
}
