using System.Text.Json.Nodes;

namespace Weir.Cluster.Api;

/// <summary>
/// Deletion as Kubernetes does it: finalizers hold an object (with a deletionTimestamp) until they are removed, and
/// ownerReferences cascade by propagation policy — Background (the owner goes at once, then its dependents), Foreground
/// (the owner gets the <c>foregroundDeletion</c> finalizer and goes only after every dependent with
/// <c>blockOwnerDeletion</c> is gone) and Orphan (dependents lose their reference to the owner and stay).
/// What cannot finish within the request finishes in <see cref="GarbageCollector"/>.
/// </summary>
public sealed partial class GenericRegistry
{
    public const string ForegroundFinalizer = "foregroundDeletion";

    private sealed record Dependent(ResourceType Type, string? Namespace, string Name, bool Blocking);

    public JsonObject Delete(ResourceType t, string? ns, string name, DeleteOptions options)
    {
        JsonObject result;
        List<Dependent> cascade;
        string uid;
        bool foreground;
        lock (Store.Gate)
        {
            var key = Key(t, ns, name);
            var stored = Store.Get(key) ?? throw ApiException.NotFound(t, name);
            var obj = Present(t, stored.Json);
            var meta = (JsonObject)obj["metadata"]!;
            if (options.PreconditionUid is { Length: > 0 } preUid && preUid != Str(meta["uid"]))
            {
                throw new ApiException(409, "Conflict", $"Operation cannot be fulfilled on {t.QualifiedPlural} \"{name}\": Precondition failed: UID in precondition: {preUid}, UID in object meta: {Str(meta["uid"])}");
            }
            if (options.PreconditionResourceVersion is { Length: > 0 } prv && prv != Str(meta["resourceVersion"]))
            {
                throw new ApiException(409, "Conflict", $"Operation cannot be fulfilled on {t.QualifiedPlural} \"{name}\": Precondition failed: ResourceVersion in precondition: {prv}, ResourceVersion in object meta: {Str(meta["resourceVersion"])}");
            }
            if (options.DryRun)
            {
                return obj;
            }
            if (t.Kind == "Namespace" && t.Group == "")
            {
                if (meta["deletionTimestamp"] is null)
                {
                    meta["deletionTimestamp"] = Now();
                    meta["deletionGracePeriodSeconds"] = 0;
                    ((JsonObject)(obj["status"] ??= new JsonObject()))["phase"] = "Terminating";
                    meta.Remove("resourceVersion");
                    stored = Store.Put(key, "MODIFIED", r => Render(obj, r));
                }
                NamespaceTerminating?.Invoke(name);
                return Present(t, stored.Json);
            }
            uid = Str(meta["uid"]);
            var scope = t.Namespaced ? ns : null;
            if (options.PropagationPolicy == "Orphan")
            {
                Orphan(Dependents(uid, scope), uid);
                cascade = [];
            }
            else
            {
                cascade = Dependents(uid, scope);
            }
            foreground = options.PropagationPolicy == "Foreground" && cascade.Count > 0;
            if (foreground || meta["finalizers"] is JsonArray { Count: > 0 })
            {
                var changed = false;
                if (meta["deletionTimestamp"] is null)
                {
                    meta["deletionTimestamp"] = Now();
                    meta["deletionGracePeriodSeconds"] = 0;
                    changed = true;
                }
                if (foreground && !HasFinalizer(meta, ForegroundFinalizer))
                {
                    ((JsonArray)(meta["finalizers"] ??= new JsonArray())).Add(ForegroundFinalizer);
                    changed = true;
                }
                if (changed)
                {
                    meta.Remove("resourceVersion");
                    stored = Store.Put(key, "MODIFIED", r => Render(obj, r));
                }
                result = Present(t, stored.Json);
                if (!foreground)
                {
                    // Held by finalizers; the garbage collector deletes the dependents once the object is gone.
                    return result;
                }
            }
            else
            {
                meta.Remove("resourceVersion");
                var gone = Store.Delete(key, r => Render(obj, r));
                result = Present(t, gone.Json);
                AfterWrite(t, obj, deleted: true);
            }
        }
        DeleteDependents(cascade, uid, foreground);
        if (foreground)
        {
            FinishForeground(t, ns, name, uid);
        }
        return result;
    }

    /// <summary>Objects whose ownerReferences point at <paramref name="uid"/>; <paramref name="ns"/> null searches every namespace.</summary>
    private List<Dependent> Dependents(string uid, string? ns)
    {
        var found = new List<Dependent>();
        foreach (var dt in DistinctStorage())
        {
            foreach (var o in Store.List(dt.Group, dt.StorageResource, dt.Namespaced ? ns : null))
            {
                if (!o.Json.Contains(uid, StringComparison.Ordinal) ||
                    JsonNode.Parse(o.Json)?["metadata"]?["ownerReferences"] is not JsonArray refs ||
                    refs.OfType<JsonObject>().FirstOrDefault(r => Str(r["uid"]) == uid) is not { } reference)
                {
                    continue;
                }
                var blocking = reference["blockOwnerDeletion"] is JsonValue b && b.TryGetValue<bool>(out var v) && v;
                found.Add(new Dependent(dt, o.Key.Namespace == "" ? null : o.Key.Namespace, o.Key.Name, blocking));
            }
        }
        return found;
    }

    /// <summary>
    /// Deletes the dependents of a deleted (or foreground-deleting) owner; a dependent that still has another live
    /// owner only loses its reference to this one. Blocking dependents of a foreground deletion go in the foreground too.
    /// </summary>
    private void DeleteDependents(List<Dependent> dependents, string ownerUid, bool foreground)
    {
        foreach (var d in dependents)
        {
            lock (Store.Gate)
            {
                if (Store.Get(Key(d.Type, d.Namespace, d.Name)) is not { } s)
                {
                    continue;
                }
                var obj = JsonNode.Parse(s.Json)!.AsObject();
                var refs = obj["metadata"]?["ownerReferences"] as JsonArray ?? [];
                if (refs.OfType<JsonObject>().Any(r => Str(r["uid"]) != ownerUid && OwnerExists(r, d.Namespace)))
                {
                    Orphan([d], ownerUid);
                    continue;
                }
                if (obj["metadata"]?["deletionTimestamp"] is not null)
                {
                    continue;
                }
            }
            try
            {
                Delete(d.Type, d.Namespace, d.Name, new DeleteOptions(foreground && d.Blocking ? "Foreground" : "Background"));
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Already gone: another cascade got there first.
            }
        }
    }

    /// <summary>Removes the <c>foregroundDeletion</c> finalizer once no blocking dependent is left (and the object with it, when nothing else holds it).</summary>
    internal void FinishForeground(ResourceType t, string? ns, string name, string uid)
    {
        lock (Store.Gate)
        {
            var key = Key(t, ns, name);
            if (Store.Get(key) is not { } stored)
            {
                return;
            }
            var obj = Present(t, stored.Json);
            var meta = (JsonObject)obj["metadata"]!;
            if (Str(meta["uid"]) != uid || !HasFinalizer(meta, ForegroundFinalizer) || Dependents(uid, t.Namespaced ? ns : null).Any(d => d.Blocking))
            {
                return;
            }
            var kept = new JsonArray([.. ((JsonArray)meta["finalizers"]!).Where(f => Str(f) != ForegroundFinalizer).Select(f => f!.DeepClone())]);
            meta.Remove("resourceVersion");
            if (kept.Count > 0)
            {
                meta["finalizers"] = kept;
                Store.Put(key, "MODIFIED", r => Render(obj, r));
                return;
            }
            meta.Remove("finalizers");
            Store.Delete(key, r => Render(obj, r));
            AfterWrite(t, obj, deleted: true);
        }
    }

    /// <summary>Carries on a foreground deletion (after a restart, or when a dependent went): deletes what is left, then finishes.</summary>
    internal void ContinueForeground(ResourceType t, string? ns, string name)
    {
        string uid;
        lock (Store.Gate)
        {
            if (Store.Get(Key(t, ns, name)) is not { } stored)
            {
                return;
            }
            var meta = JsonNode.Parse(stored.Json)!["metadata"]!.AsObject();
            if (meta["deletionTimestamp"] is null || !HasFinalizer(meta, ForegroundFinalizer))
            {
                return;
            }
            uid = Str(meta["uid"]);
        }
        List<Dependent> dependents;
        lock (Store.Gate)
        {
            dependents = Dependents(uid, t.Namespaced ? ns : null);
        }
        DeleteDependents(dependents, uid, foreground: true);
        FinishForeground(t, ns, name, uid);
    }

    /// <summary>Deletes what still depends on an owner that is gone (it was held by finalizers, or went another way).</summary>
    internal void CollectDependentsOf(string ownerUid, string? ns)
    {
        List<Dependent> dependents;
        lock (Store.Gate)
        {
            dependents = Dependents(ownerUid, ns);
        }
        DeleteDependents(dependents, ownerUid, foreground: false);
    }

    /// <summary>Deletes an object every one of whose owners is gone (it was created pointing at a deleted owner).</summary>
    internal void CollectIfDangling(ResourceType t, string? ns, string name)
    {
        lock (Store.Gate)
        {
            if (Store.Get(Key(t, ns, name)) is not { } stored ||
                JsonNode.Parse(stored.Json)!["metadata"] is not JsonObject meta ||
                meta["deletionTimestamp"] is not null ||
                meta["ownerReferences"] is not JsonArray { Count: > 0 } refs ||
                refs.OfType<JsonObject>().Any(r => OwnerExists(r, ns)))
            {
                return;
            }
        }
        try
        {
            Delete(t, ns, name, new DeleteOptions());
        }
        catch (ApiException e) when (e.Code == 404)
        {
            // Gone meanwhile.
        }
    }

    /// <summary>The owner an ownerReference names, when its kind is served and it still exists with that uid.</summary>
    internal (ResourceType Type, string? Namespace, string Name)? FindOwner(JsonObject reference, string? dependentNs)
    {
        var apiVersion = Str(reference["apiVersion"]);
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var (group, version) = slash < 0 ? ("", apiVersion) : (apiVersion[..slash], apiVersion[(slash + 1)..]);
        var kind = Str(reference["kind"]);
        var t = Catalog.FindKind(group, version, kind) ?? Catalog.All.FirstOrDefault(c => c.Group == group && c.Kind == kind);
        if (t is null)
        {
            return null;
        }
        var ownerNs = t.Namespaced ? dependentNs : null;
        return Store.Get(Key(t, ownerNs, Str(reference["name"]))) is { } s && s.Json.Contains(Str(reference["uid"]), StringComparison.Ordinal)
            && Str(JsonNode.Parse(s.Json)?["metadata"]?["uid"]) == Str(reference["uid"])
            ? (t, ownerNs, Str(reference["name"]))
            : null;
    }

    /// <summary>Whether the owner still exists; an owner of a kind this server does not serve counts as existing (nothing is collected on a guess).</summary>
    private bool OwnerExists(JsonObject reference, string? dependentNs)
    {
        var apiVersion = Str(reference["apiVersion"]);
        var slash = apiVersion.IndexOf('/', StringComparison.Ordinal);
        var group = slash < 0 ? "" : apiVersion[..slash];
        var kind = Str(reference["kind"]);
        if (!Catalog.All.Any(c => c.Group == group && c.Kind == kind))
        {
            return true;
        }
        return FindOwner(reference, dependentNs) is not null;
    }

    private static bool HasFinalizer(JsonObject meta, string finalizer) =>
        meta["finalizers"] is JsonArray list && list.Any(f => Str(f) == finalizer);

    private void Orphan(List<Dependent> dependents, string uid)
    {
        foreach (var d in dependents)
        {
            var key = Key(d.Type, d.Namespace, d.Name);
            if (Store.Get(key) is not { } s)
            {
                continue;
            }
            var obj = JsonNode.Parse(s.Json)!.AsObject();
            var meta = (JsonObject)obj["metadata"]!;
            var refs = (JsonArray)meta["ownerReferences"]!;
            var kept = new JsonArray([.. refs.Where(r => Str(r?["uid"]) != uid).Select(r => r!.DeepClone())]);
            if (kept.Count == 0)
            {
                meta.Remove("ownerReferences");
            }
            else
            {
                meta["ownerReferences"] = kept;
            }
            meta.Remove("resourceVersion");
            Store.Put(key, "MODIFIED", r => Render(obj, r));
        }
    }
}
