namespace Weir.Cluster.Storage;

/// <summary>Identifies where an object lives: its group and resource (version-independent), namespace ("" when cluster-scoped) and name.</summary>
public readonly record struct ObjectKey(string Group, string Resource, string Namespace, string Name)
{
    /// <summary>Sort key inside one resource: namespace then name, ordinal.</summary>
    public string SortKey => Namespace + "\u0001" + Name;
}

/// <summary>One stored object: its JSON text and the revision of its last write.</summary>
public sealed record StoredObject(ObjectKey Key, long ResourceVersion, string Json);

/// <summary>One entry of the change log that feeds watches.</summary>
public sealed record ChangeEvent(long ResourceVersion, ObjectKey Key, string Type, string Json);
