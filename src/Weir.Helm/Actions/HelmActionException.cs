using Weir.Helm.Releases;

namespace Weir.Helm.Actions;

/// <summary>An action failed; <see cref="Release"/> is the record as it was left (failed, or null when none was written).</summary>
public class HelmActionException(string message, Release? release = null, Exception? inner = null) : Exception(message, inner)
{
    public Release? Release { get; } = release;
}

/// <summary>The latest revision is pending: <c>another operation (install/upgrade/rollback) is in progress</c>.</summary>
public sealed class ReleaseInProgressException(Release release)
    : HelmActionException("another operation (install/upgrade/rollback) is in progress", release);

/// <summary>Install with a name whose records exist: <c>cannot reuse a name that is still in use</c>.</summary>
public sealed class ReleaseNameInUseException() : HelmActionException("cannot reuse a name that is still in use");

/// <summary>Upgrade of a release with no deployed revision: <c>"NAME" has no deployed releases</c>.</summary>
public sealed class NoDeployedReleasesException(string name) : HelmActionException($"\"{name}\" has no deployed releases");

/// <summary>A resource of the chart exists and belongs to another release (or to none).</summary>
public sealed class ResourceOwnershipException(string message) : HelmActionException(message);

/// <summary>A test hook failed; the release record holds each hook's last run.</summary>
public sealed class ReleaseTestFailedException(string message, Release release) : HelmActionException(message, release);
