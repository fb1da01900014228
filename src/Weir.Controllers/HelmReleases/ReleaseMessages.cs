namespace Weir.Controllers.HelmReleases;

/// <summary>Flux's HelmRelease condition reasons and message formats.</summary>
public static class ReleaseMessages
{
    public const string InstallSucceeded = "InstallSucceeded";
    public const string InstallFailed = "InstallFailed";
    public const string UpgradeSucceeded = "UpgradeSucceeded";
    public const string UpgradeFailed = "UpgradeFailed";
    public const string TestSucceeded = "TestSucceeded";
    public const string TestFailed = "TestFailed";
    public const string RollbackSucceeded = "RollbackSucceeded";
    public const string RollbackFailed = "RollbackFailed";
    public const string UninstallSucceeded = "UninstallSucceeded";
    public const string UninstallFailed = "UninstallFailed";
    public const string DriftDetected = "DriftDetected";
    public const string NoDriftDetected = "NoDriftDetected";
    public const string AwaitingTests = "AwaitingTests";
    public const string PendingRelease = "PendingRelease";
    public const string RetriesExceeded = "RetriesExceeded";
    public const string MissingRollbackTarget = "MissingRollbackTarget";
    public const string SourceNotReady = "SourceNotReady";
    public const string ValuesError = "ValuesError";
    public const string StateError = "StateError";
    public const string ReconcileError = "ReconcileError";
    public const string HelmChartCreated = "HelmChartCreated";

    public static string InstallSuccess(string release, string chart) => $"Helm install succeeded for release {release} with chart {chart}";

    public static string InstallFailure(string ns, string name, string chart, string version, string error) =>
        $"Helm install failed for release {ns}/{name} with chart {chart}@{version}: {error}";

    public static string UpgradeSuccess(string release, string chart) => $"Helm upgrade succeeded for release {release} with chart {chart}";

    public static string UpgradeFailure(string ns, string name, string chart, string version, string error) =>
        $"Helm upgrade failed for release {ns}/{name} with chart {chart}@{version}: {error}";

    /// <summary>Counts every test hook of the release, filtered out or not, as helm-controller does.</summary>
    public static string TestSuccess(string release, string chart, int hooks) =>
        $"Helm test succeeded for release {release} with chart {chart}: {hooks switch { 0 => "no test hooks", 1 => "1 test hook completed successfully", _ => $"{hooks} test hooks completed successfully" }}";

    public static string TestFailure(string release, string chart, string error) => $"Helm test failed for release {release} with chart {chart}: {error}";

    public static string TestPending(string release, string chart) => $"Helm release {release} with chart {chart} is awaiting tests";

    public static string RollbackSuccess(string release, string chart) => $"Helm rollback to previous release {release} with chart {chart} succeeded";

    public static string RollbackFailure(string release, string chart, string error) =>
        $"Helm rollback to previous release {release} with chart {chart} failed: {error}";

    public static string UninstallSuccess(string release, string chart) => $"Helm uninstall succeeded for release {release} with chart {chart}";

    public static string UninstallFailure(string release, string chart, string error) =>
        $"Helm uninstall failed for release {release} with chart {chart}: {error}";

    public static string UninstallRemediationSuccess(string release, string chart) =>
        $"Helm uninstall remediation for release {release} with chart {chart} succeeded";

    public static string UninstallRemediationFailure(string release, string chart, string error) =>
        $"Helm uninstall remediation for release {release} with chart {chart} failed: {error}";

    public static string Unlocked(string release, string chart, string status) => $"Unlocked Helm release {release} with chart {chart} in {status} state";

    public static string Running(string action, string timeout) => $"Running '{action}' action with timeout of {timeout}";

    public static string RetriesExhausted(string action, long attempts) => $"Failed to {action} after {attempts} attempt(s)";

    /// <summary>A Warning event's message with the log lines Helm wrote during the failed action.</summary>
    public static string WithLogs(string message, IReadOnlyCollection<string> logs) =>
        logs.Count == 0 ? message : $"{message}\n\nLast Helm logs:\n\n{string.Join('\n', logs)}";
}
