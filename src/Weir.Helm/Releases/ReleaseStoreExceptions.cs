namespace Weir.Helm.Releases;

/// <summary>No record of that release (or revision) exists: Helm's <c>release: not found</c>.</summary>
public sealed class ReleaseNotFoundException(string message = "release: not found") : Exception(message);

/// <summary>A record with that name and revision is already stored: Helm's <c>release: already exists</c>.</summary>
public sealed class ReleaseExistsException() : Exception("release: already exists");
