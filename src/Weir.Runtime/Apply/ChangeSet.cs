namespace Weir.Runtime.Apply;

/// <summary>What applying or deleting did to one object (Flux's change-set actions).</summary>
public static class ChangeAction
{
    public const string Created = "created";
    public const string Configured = "configured";
    public const string Unchanged = "unchanged";
    public const string Deleted = "deleted";
    public const string Skipped = "skipped";
    public const string Unknown = "unknown";

    /// <summary>Actions worth reporting in an event: anything that changed the cluster.</summary>
    public static bool HasChanged(string action) => action is Created or Configured or Deleted;
}

public readonly record struct ChangeSetEntry(ObjectRef Object, string Action)
{
    public override string ToString() => $"{Object.Subject} {Action}";
}

/// <summary>The outcome of applying or deleting a set of objects, in order.</summary>
public sealed class ChangeSet
{
    private readonly List<ChangeSetEntry> _entries = [];

    public IReadOnlyList<ChangeSetEntry> Entries => _entries;

    public void Add(ChangeSetEntry entry) => _entries.Add(entry);

    public void Append(IEnumerable<ChangeSetEntry> entries) => _entries.AddRange(entries);

    /// <summary>One <c>Kind/ns/name action</c> line per entry.</summary>
    public override string ToString() => string.Join("\n", _entries);

    /// <summary>Only the lines of objects that changed, as Kustomization events report them.</summary>
    public string ChangedLines() => string.Join("\n", _entries.Where(e => ChangeAction.HasChanged(e.Action)));
}
