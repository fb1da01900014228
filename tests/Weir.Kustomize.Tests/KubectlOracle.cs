namespace Weir.Kustomize.Tests;

/// <summary>Runs the real <c>kubectl kustomize</c> (the oracle for builds).</summary>
public static class KubectlOracle
{
    public static (int ExitCode, string Stdout, string Stderr) Kustomize(string directory) => ToolProcess.Run("kubectl", ["kustomize", directory]);
}
