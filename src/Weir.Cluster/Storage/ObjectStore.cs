using Microsoft.Data.Sqlite;

namespace Weir.Cluster.Storage;

/// <summary>
/// Persists every object in one SQLite file (WAL) with an etcd-style global revision: each write takes the next
/// revision, updates the object row and appends to a change log in one transaction. An in-memory copy of the
/// objects serves reads; the change log lets watches resume from a revision until it is compacted.
/// </summary>
public sealed class ObjectStore : IDisposable
{
    private readonly SqliteConnection _db;
    private readonly Dictionary<(string Group, string Resource), SortedDictionary<string, StoredObject>> _objects = [];
    private readonly WatchHub _hub = new();
    private readonly int _retainedChanges;
    private long _writesSinceCompaction;

    /// <summary>Taken by callers that read, check and write as one step (optimistic concurrency, watch start).</summary>
    public object Gate { get; } = new();

    /// <summary>The highest revision written so far.</summary>
    public long Revision { get; private set; }

    /// <summary>Changes at or below this revision are no longer in the log.</summary>
    public long CompactedRevision { get; private set; }

    public ObjectStore(string dataDir, int retainedChanges = 20000)
    {
        Directory.CreateDirectory(dataDir);
        _retainedChanges = retainedChanges;
        _db = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDir, "state.db"),
            Pooling = false,
        }.ToString());
        _db.Open();
        Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;");
        Execute("""
            CREATE TABLE IF NOT EXISTS objects(grp TEXT NOT NULL, resource TEXT NOT NULL, ns TEXT NOT NULL, name TEXT NOT NULL,
              rv INTEGER NOT NULL, json TEXT NOT NULL, PRIMARY KEY(grp, resource, ns, name)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS changes(rv INTEGER PRIMARY KEY, grp TEXT NOT NULL, resource TEXT NOT NULL,
              ns TEXT NOT NULL, name TEXT NOT NULL, type TEXT NOT NULL, json TEXT NOT NULL);
            """);
        Load();
        _upsertObject = Prepare("INSERT OR REPLACE INTO objects(grp, resource, ns, name, rv, json) VALUES($g,$r,$n,$m,$v,$j)", "$g", "$r", "$n", "$m", "$v", "$j");
        _deleteObject = Prepare("DELETE FROM objects WHERE grp=$g AND resource=$r AND ns=$n AND name=$m AND $v IS NOT NULL AND $j IS NOT NULL", "$g", "$r", "$n", "$m", "$v", "$j");
        _insertChange = Prepare("INSERT INTO changes(rv, grp, resource, ns, name, type, json) VALUES($v,$g,$r,$n,$m,$t,$j)", "$v", "$g", "$r", "$n", "$m", "$t", "$j");
    }

    private readonly SqliteCommand _upsertObject;
    private readonly SqliteCommand _deleteObject;
    private readonly SqliteCommand _insertChange;

    private void Load()
    {
        using (var cmd = _db.CreateCommand())
        {
            cmd.CommandText = "SELECT grp, resource, ns, name, rv, json FROM objects";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                var key = new ObjectKey(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3));
                Bucket(key)[key.SortKey] = new StoredObject(key, r.GetInt64(4), r.GetString(5));
            }
        }
        var maxObject = Scalar("SELECT COALESCE(MAX(rv), 0) FROM objects");
        var maxChange = Scalar("SELECT COALESCE(MAX(rv), 0) FROM changes");
        var minChange = Scalar("SELECT COALESCE(MIN(rv), 0) FROM changes");
        Revision = Math.Max(maxObject, maxChange);
        CompactedRevision = minChange == 0 ? Revision : minChange - 1;
    }

    private SortedDictionary<string, StoredObject> Bucket(ObjectKey key) => Bucket(key.Group, key.Resource);

    private SortedDictionary<string, StoredObject> Bucket(string group, string resource)
    {
        if (!_objects.TryGetValue((group, resource), out var bucket))
        {
            bucket = new SortedDictionary<string, StoredObject>(StringComparer.Ordinal);
            _objects[(group, resource)] = bucket;
        }
        return bucket;
    }

    public StoredObject? Get(ObjectKey key)
    {
        lock (Gate)
        {
            return Bucket(key).TryGetValue(key.SortKey, out var o) ? o : null;
        }
    }

    /// <summary>Objects of one resource in namespace-then-name order; <paramref name="ns"/> null means every namespace.</summary>
    public List<StoredObject> List(string group, string resource, string? ns)
    {
        lock (Gate)
        {
            var bucket = Bucket(group, resource);
            if (ns is null)
            {
                return [.. bucket.Values];
            }
            return [.. bucket.Values.Where(o => o.Key.Namespace == ns)];
        }
    }

    /// <summary>Number of objects of a resource in a namespace (null = all).</summary>
    public int Count(string group, string resource, string? ns)
    {
        lock (Gate)
        {
            var bucket = Bucket(group, resource);
            return ns is null ? bucket.Count : bucket.Values.Count(o => o.Key.Namespace == ns);
        }
    }

    /// <summary>Every resource that currently has objects in a namespace.</summary>
    public List<(string Group, string Resource)> ResourcesIn(string ns)
    {
        lock (Gate)
        {
            return [.. _objects.Where(kv => kv.Value.Values.Any(o => o.Key.Namespace == ns)).Select(kv => kv.Key)];
        }
    }

    /// <summary>
    /// Writes an object (ADDED or MODIFIED) at the next revision. <paramref name="render"/> receives that revision and
    /// returns the JSON to store (so the object carries its own resourceVersion).
    /// </summary>
    public StoredObject Put(ObjectKey key, string type, Func<long, string> render) => Write(key, type, render, delete: false);

    /// <summary>Removes an object; the DELETED event carries its final state at a new revision.</summary>
    public StoredObject Delete(ObjectKey key, Func<long, string> render) => Write(key, "DELETED", render, delete: true);

    private StoredObject Write(ObjectKey key, string type, Func<long, string> render, bool delete)
    {
        lock (Gate)
        {
            var rv = Revision + 1;
            var json = render(rv);
            using (var tx = _db.BeginTransaction())
            {
                var write = delete ? _deleteObject : _upsertObject;
                write.Transaction = tx;
                SetKey(write, key);
                write.Parameters["$v"].Value = rv;
                write.Parameters["$j"].Value = json;
                write.ExecuteNonQuery();
                _insertChange.Transaction = tx;
                SetKey(_insertChange, key);
                _insertChange.Parameters["$v"].Value = rv;
                _insertChange.Parameters["$t"].Value = type;
                _insertChange.Parameters["$j"].Value = json;
                _insertChange.ExecuteNonQuery();
                tx.Commit();
            }
            Revision = rv;
            var stored = new StoredObject(key, rv, json);
            if (delete)
            {
                Bucket(key).Remove(key.SortKey);
            }
            else
            {
                Bucket(key)[key.SortKey] = stored;
            }
            _hub.Publish(new ChangeEvent(rv, key, type, json));
            if (++_writesSinceCompaction >= Math.Clamp(_retainedChanges / 2, 1, 1000))
            {
                _writesSinceCompaction = 0;
                Compact();
            }
            return stored;
        }
    }

    private SqliteCommand Prepare(string sql, params string[] parameters)
    {
        var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        foreach (var p in parameters)
        {
            cmd.Parameters.Add(new SqliteParameter { ParameterName = p });
        }
        cmd.Prepare();
        return cmd;
    }

    private static void SetKey(SqliteCommand cmd, ObjectKey key)
    {
        cmd.Parameters["$g"].Value = key.Group;
        cmd.Parameters["$r"].Value = key.Resource;
        cmd.Parameters["$n"].Value = key.Namespace;
        cmd.Parameters["$m"].Value = key.Name;
    }

    /// <summary>Drops the oldest change-log entries beyond the retained count.</summary>
    public void Compact()
    {
        lock (Gate)
        {
            var cutoff = Revision - _retainedChanges;
            if (cutoff <= CompactedRevision)
            {
                return;
            }
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "DELETE FROM changes WHERE rv <= $c";
            cmd.Parameters.AddWithValue("$c", cutoff);
            cmd.ExecuteNonQuery();
            CompactedRevision = cutoff;
        }
    }

    /// <summary>
    /// Starts following changes. Under the gate, so nothing is missed between the snapshot the caller takes in
    /// <paramref name="atStart"/> and the first live event.
    /// </summary>
    public WatchSubscription Subscribe(Action<long> atStart)
    {
        lock (Gate)
        {
            var sub = _hub.Subscribe();
            atStart(Revision);
            return sub;
        }
    }

    /// <summary>Logged changes with revision in (from, to], oldest first.</summary>
    public List<ChangeEvent> ChangesBetween(long from, long to)
    {
        var result = new List<ChangeEvent>();
        lock (Gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT rv, grp, resource, ns, name, type, json FROM changes WHERE rv > $f AND rv <= $t ORDER BY rv";
            cmd.Parameters.AddWithValue("$f", from);
            cmd.Parameters.AddWithValue("$t", to);
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                result.Add(new ChangeEvent(r.GetInt64(0), new ObjectKey(r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4)),
                    r.GetString(5), r.GetString(6)));
            }
        }
        return result;
    }

    private void Execute(string sql)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private long Scalar(string sql)
    {
        using var cmd = _db.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        lock (Gate)
        {
            _hub.CloseAll();
            _upsertObject.Dispose();
            _deleteObject.Dispose();
            _insertChange.Dispose();
            _db.Dispose();
        }
    }
}
