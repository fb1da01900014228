namespace Weir.Sources.HelmCharts;

/// <summary>
/// How to build a chart (source-controller's <c>BuildOptions</c>): the values files to merge, the build metadata the
/// version gets (<c>+&lt;revision&gt;</c> and/or the generation), and the stored chart a build may reuse — none when
/// the spec changed since it was built (Flux's <c>Force</c>).
/// </summary>
public sealed record ChartBuildOptions(IReadOnlyList<string> ValuesFiles, bool IgnoreMissingValuesFiles, string? VersionMetadata, StoredChart? Stored)
{
    public bool RequiresPackaging => ValuesFiles.Count > 0 || VersionMetadata is not null;

    /// <summary>The stored chart when it is this name and version: the build is then the stored one.</summary>
    public ChartBuild? Reuse(string name, string version, bool packaged) =>
        Stored is { } stored && stored.Name == name && stored.Version == version
            ? new ChartBuild(name, version) { Packaged = packaged, ValuesFiles = stored.ValuesFiles ?? ValuesFiles }
            : null;
}

/// <summary>The chart in storage: its name, version and the values files merged into it.</summary>
public sealed record StoredChart(string Name, string Version, IReadOnlyList<string>? ValuesFiles);
