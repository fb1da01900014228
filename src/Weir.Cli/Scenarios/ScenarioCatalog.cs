namespace Weir.Cli.Scenarios;

/// <summary>Every seed scenario <c>weir up --scenario</c> can set up, in the order the seeds tell them.</summary>
public static class ScenarioCatalog
{
    public static IReadOnlyList<Scenario> All { get; } =
    [
        new AllGreenScenario(),
        new InProgressScenario(),
        new NotYetPolledScenario(),
        new BuildFailedScenario(),
        new InvalidObjectScenario(),
        new MissingDependencyScenario(),
        new ExpiredCredentialsScenario(),
        new NoSemverMatchScenario(),
        new RegistryUnreachableScenario(),
        new ForbiddenScenario(),
        new PinnedProductionScenario(),
        new UnhealthyWorkloadScenario(),
        new HelmUpgradeFailedScenario(),
        new HelmChartNotFoundScenario(),
        new HelmValuesSchemaScenario(),
        new HelmTestFailedScenario(),
        new HelmDriftScenario(),
    ];

    public static Scenario? Find(string name) => All.FirstOrDefault(s => s.Name == name);
}
