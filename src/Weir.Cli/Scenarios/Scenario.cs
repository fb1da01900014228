namespace Weir.Cli.Scenarios;

/// <summary>
/// One of the seed documents' situations, set up on a running stack through the API and the registry exactly as a
/// platform team and a CI pipeline would produce it (push artifacts, create sources and Kustomizations, break things).
/// </summary>
public abstract class Scenario
{
    /// <summary>The name <c>weir up --scenario</c> takes, e.g. <c>build-failed</c>.</summary>
    public abstract string Name { get; }

    /// <summary>One line for <c>weir up --list-scenarios</c>.</summary>
    public abstract string Description { get; }

    /// <summary>The app <c>weir status</c> should be asked about (the OCIRepository's name).</summary>
    public virtual string App => "my-app";

    /// <summary>The commands that show the scenario, printed once it is set up.</summary>
    public virtual IEnumerable<string> LookAt(ScenarioContext context) =>
        [$"kubectl get ocirepository,kustomization -n {context.Namespace}", $"weir status {App}"];

    /// <summary>Sets the scenario up; returns once its last step is done (staged scenarios wait in between).</summary>
    public abstract Task SetUpAsync(ScenarioContext context, CancellationToken cancellationToken);
}
