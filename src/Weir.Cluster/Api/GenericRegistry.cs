using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Weir.Cluster.Apply;
using Weir.Cluster.Patching;
using Weir.Cluster.Schema;
using Weir.Cluster.Selectors;
using Weir.Cluster.Storage;
using Weir.Core.Api.Defaults;

namespace Weir.Cluster.Api;

/// <summary>
/// The one store every resource goes through: create, get, list, update, patch and delete with Kubernetes' metadata
/// rules, optimistic concurrency, finalizers and garbage collection. Kind-specific behaviour comes from each
/// <see cref="ResourceType"/>'s <see cref="ResourceStrategy"/>.
/// </summary>
public sealed partial class GenericRegistry(ObjectStore store, ResourceCatalog catalog)
{
    /// <summary>Largest object accepted, as etcd's default request limit.</summary>
    public const int MaxObjectBytes = 1536 * 1024;

    private static readonly string[] ServerOwnedMetadata = ["uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "generation"];

    public ObjectStore Store { get; } = store;

    public ResourceCatalog Catalog { get; } = catalog;

    /// <summary>Raised after an object of a namespace is marked for deletion, so the namespace controller can empty it.</summary>
    public event Action<string>? NamespaceTerminating;

    public static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static ObjectKey Key(ResourceType t, string? ns, string name) => new(t.Group, t.StorageResource, t.Namespaced ? ns ?? "" : "", name);

    /// <summary>
    /// Parses a stored object and presents it in the requested version, with the defaults a CRD's schema gained
    /// since the object was written.
    /// </summary>
    public static JsonObject Present(ResourceType t, string json)
    {
        var obj = JsonNode.Parse(json)!.AsObject();
        obj["apiVersion"] = t.GroupVersion;
        if (t.Strategy is CustomResourceStrategy custom && custom.DefaultsOnRead(StoredRevision(obj)))
        {
            custom.DefaultStored(obj);
        }
        return obj;
    }

    private static long StoredRevision(JsonObject obj) =>
        long.TryParse(Str(obj["metadata"]?["resourceVersion"]), NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : 0;

    public JsonObject Get(ResourceType t, string? ns, string name)
    {
        var stored = Store.Get(Key(t, ns, name)) ?? throw ApiException.NotFound(t, name);
        return Present(t, stored.Json);
    }

    public JsonObject? TryGet(ResourceType t, string? ns, string name)
    {
        var stored = Store.Get(Key(t, ns, name));
        return stored is null ? null : Present(t, stored.Json);
    }

    public ListResult List(ResourceType t, string? ns, LabelSelector labels, FieldSelector fields, int limit, string? continueToken)
    {
        var page = ListJson(t, ns, labels, fields, limit, continueToken);
        return new ListResult([.. page.Items.Select(j => Present(t, j))], page.ResourceVersion, page.Continue, page.RemainingItemCount);
    }

    /// <summary>One page of stored JSON texts (already in the requested version), for writing lists without re-serializing.</summary>
    public RawListResult ListJson(ResourceType t, string? ns, LabelSelector labels, FieldSelector fields, int limit, string? continueToken)
    {
        string? after = null;
        long rv;
        List<StoredObject> all;
        lock (Store.Gate)
        {
            rv = Store.Revision;
            all = Store.List(t.Group, t.StorageResource, t.Namespaced ? ns : null);
        }
        if (!string.IsNullOrEmpty(continueToken))
        {
            after = DecodeContinue(continueToken);
        }
        var filtered = !ReferenceEquals(labels, LabelSelector.Everything) || !ReferenceEquals(fields, FieldSelector.Everything);
        var versionPrefix = $"{{\"apiVersion\":\"{t.GroupVersion}\"";
        var items = new List<string>();
        string? next = null;
        long remaining = 0;
        foreach (var o in all)
        {
            if (after is not null && string.CompareOrdinal(o.Key.SortKey, after) <= 0)
            {
                continue;
            }
            if (next is not null)
            {
                remaining++;
                continue;
            }
            var json = o.Json;
            if (filtered || !json.StartsWith(versionPrefix, StringComparison.Ordinal) || (t.Strategy is CustomResourceStrategy custom && custom.DefaultsOnRead(o.ResourceVersion)))
            {
                var obj = Present(t, json);
                if (!labels.Matches(obj["metadata"]?["labels"] as JsonObject) || !fields.Matches(obj, t))
                {
                    continue;
                }
                json = obj.ToJsonString(JsonText.Options);
            }
            items.Add(json);
            if (limit > 0 && items.Count >= limit)
            {
                next = o.Key.SortKey;
            }
        }
        string? token = null;
        if (next is not null && all.Count > 0 && string.CompareOrdinal(all[^1].Key.SortKey, next) > 0)
        {
            token = EncodeContinue(rv, next);
        }
        return new RawListResult(items, rv.ToString(CultureInfo.InvariantCulture), token, token is null ? null : remaining);
    }

    private static string EncodeContinue(long rv, string key) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(new JsonObject { ["v"] = "meta.k8s.io/v1", ["rv"] = rv, ["start"] = key }.ToJsonString(JsonText.Options)));

    private static string DecodeContinue(string token)
    {
        try
        {
            var node = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)));
            return node?["start"]?.GetValue<string>() ?? throw new FormatException();
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            throw ApiException.Gone("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.");
        }
    }

    public JsonObject Create(ResourceType t, string? ns, JsonObject body, WriteOptions options) => Create(t, ns, body, options, recordUpdate: true);

    private JsonObject Create(ResourceType t, string? ns, JsonObject body, WriteOptions options, bool recordUpdate)
    {
        CheckTypeMeta(t, body);
        var obj = Normalize(t, body);
        var meta = (JsonObject)obj["metadata"]!;
        BindNamespace(t, ns, meta);
        foreach (var f in ServerOwnedMetadata)
        {
            meta.Remove(f);
        }
        var name = Str(meta["name"]);
        if (name == "" && Str(meta["generateName"]) is { Length: > 0 } prefix)
        {
            name = prefix + RandomSuffix();
            meta["name"] = name;
        }
        if (name == "")
        {
            throw ApiException.Invalid(t, "", [FieldError.Required("metadata.name", "name or generateName is required")]);
        }
        if (t.HasStatus && t.Kind != "CustomResourceDefinition")
        {
            obj.Remove("status");
        }
        ValidateSchema(t, obj, null, name, options);
        t.Strategy.Default(obj);
        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = Now();
        if (t.Strategy.TracksGeneration)
        {
            meta["generation"] = 1;
        }
        t.Strategy.PrepareForCreate(obj);
        Validate(t, obj, null, name);
        if (recordUpdate)
        {
            FieldManager.Update(t, null, obj, options.FieldManager, null);
        }
        lock (Store.Gate)
        {
            if (t.Namespaced)
            {
                CheckNamespaceAccepts(ns!);
            }
            var key = Key(t, ns, name);
            if (Store.Get(key) is not null)
            {
                throw ApiException.AlreadyExists(t, name);
            }
            if (options.DryRun)
            {
                CheckSize(obj);
                return obj;
            }
            Store.Put(key, "ADDED", rv => Render(obj, rv));
            AfterWrite(t, obj, deleted: false);
            return obj;
        }
    }

    /// <summary>PUT: replaces the object (or its status), with optimistic concurrency on a non-empty resourceVersion.</summary>
    public JsonObject Update(ResourceType t, string? ns, string name, JsonObject body, string? subresource, WriteOptions options)
    {
        CheckTypeMeta(t, body);
        var obj = Normalize(t, body);
        var meta = (JsonObject)obj["metadata"]!;
        if (Str(meta["name"]) is { Length: > 0 } bodyName && bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }
        meta["name"] = name;
        BindNamespace(t, ns, meta);
        lock (Store.Gate)
        {
            var stored = Store.Get(Key(t, ns, name)) ?? throw ApiException.NotFound(t, name);
            var old = Present(t, stored.Json);
            return Replace(t, ns, name, old, obj, subresource, options);
        }
    }

    /// <summary>PATCH by content type: merge, JSON patch, server-side apply, or (for built-ins) strategic merge.</summary>
    public JsonObject Patch(ResourceType t, string? ns, string name, string contentType, JsonNode? patch, string? subresource, WriteOptions options)
    {
        if (contentType is ApplyPatchYaml or ApplyPatchJson)
        {
            return ServerSideApply(t, ns, name, patch, subresource, options);
        }
        if (options.Force)
        {
            throw PatchOptionsInvalid("force: Forbidden: may not be specified for non-apply patch", "FieldValueForbidden", "may not be specified for non-apply patch", "force");
        }
        lock (Store.Gate)
        {
            var stored = Store.Get(Key(t, ns, name)) ?? throw ApiException.NotFound(t, name);
            var old = Present(t, stored.Json);
            var patched = PatchTypes.Apply(t, old, contentType, patch);
            if (patched is not JsonObject obj)
            {
                throw ApiException.BadRequest("the patch did not produce an object");
            }
            CheckTypeMeta(t, obj);
            obj = Normalize(t, obj);
            var meta = (JsonObject)obj["metadata"]!;
            if (Str(meta["name"]) != name)
            {
                throw ApiException.BadRequest($"the name of the object ({Str(meta["name"])}) does not match the name on the URL ({name})");
            }
            BindNamespace(t, ns, meta);
            return Replace(t, ns, name, old, obj, subresource, options);
        }
    }

    public const string ApplyPatchYaml = "application/apply-patch+yaml";
    public const string ApplyPatchJson = "application/apply-patch+json";

    /// <summary>Server-side apply: merges the configuration, records the applier's fields, creates a missing object.</summary>
    private JsonObject ServerSideApply(ResourceType t, string? ns, string name, JsonNode? patch, string? subresource, WriteOptions options)
    {
        if (!options.FieldManagerGiven)
        {
            throw PatchOptionsInvalid("fieldManager: Required value: is required for apply patch", "FieldValueRequired", "Required value: is required for apply patch", "fieldManager");
        }
        if (patch is not JsonObject config)
        {
            throw ApiException.BadRequest("error decoding YAML: the apply configuration is not an object");
        }
        if (Str(config["apiVersion"]) == "" || Str(config["kind"]) == "")
        {
            throw ApiException.BadRequest($"Object '{(Str(config["kind"]) == "" ? "Kind" : "apiVersion")}' is missing in '{config.ToJsonString(JsonText.Options)}'");
        }
        CheckTypeMeta(t, config);
        if (Str(config["metadata"]?["name"]) is { Length: > 0 } bodyName && bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }
        if (config["metadata"] is JsonObject cm)
        {
            BindNamespace(t, ns, (JsonObject)cm.DeepClone());
        }
        lock (Store.Gate)
        {
            var stored = Store.Get(Key(t, ns, name));
            if (stored is null)
            {
                if (subresource is not null)
                {
                    throw ApiException.NotFound(t, name);
                }
                var empty = new JsonObject { ["apiVersion"] = t.GroupVersion, ["kind"] = t.Kind, ["metadata"] = new JsonObject { ["name"] = name } };
                var created = FieldManager.Apply(t, empty, config, options.FieldManager, null, options.Force);
                options.Created = true;
                return Create(t, ns, created, options, recordUpdate: false);
            }
            var old = Present(t, stored.Json);
            var merged = FieldManager.Apply(t, old, config, options.FieldManager, subresource, options.Force);
            var obj = Normalize(t, merged);
            var meta = (JsonObject)obj["metadata"]!;
            meta["name"] = name;
            BindNamespace(t, ns, meta);
            meta.Remove("resourceVersion");
            return Replace(t, ns, name, old, obj, subresource, options, recordUpdate: false);
        }
    }

    private static ApiException PatchOptionsInvalid(string summary, string reason, string message, string field) =>
        new(422, "Invalid", $"PatchOptions.meta.k8s.io \"\" is invalid: {summary}", new JsonObject
        {
            ["group"] = "meta.k8s.io",
            ["kind"] = "PatchOptions",
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = reason, ["message"] = message, ["field"] = field }),
        });

    private JsonObject Replace(ResourceType t, string? ns, string name, JsonObject old, JsonObject obj, string? subresource, WriteOptions options, bool recordUpdate = true)
    {
        var meta = (JsonObject)obj["metadata"]!;
        var oldMeta = (JsonObject)old["metadata"]!;
        var rv = Str(meta["resourceVersion"]);
        if (rv != "" && rv != Str(oldMeta["resourceVersion"]))
        {
            throw ApiException.Conflict(t, name);
        }
        if (subresource == "status")
        {
            var status = obj["status"]?.DeepClone();
            var managed = recordUpdate ? null : meta["managedFields"]?.DeepClone();
            obj = (JsonObject)old.DeepClone();
            obj["status"] = status;
            meta = (JsonObject)obj["metadata"]!;
            if (!recordUpdate)
            {
                meta["managedFields"] = managed;
            }
        }
        else if (t.HasStatus)
        {
            obj["status"] = old["status"]?.DeepClone();
        }
        foreach (var f in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            if (oldMeta[f] is { } v)
            {
                meta[f] = v.DeepClone();
            }
            else
            {
                meta.Remove(f);
            }
        }
        meta.Remove("resourceVersion");
        meta.Remove("selfLink");
        if (meta["managedFields"] is null && oldMeta["managedFields"] is { } mf)
        {
            meta["managedFields"] = mf.DeepClone();
        }
        ValidateSchema(t, obj, old, name, options);
        t.Strategy.Default(obj);
        t.Strategy.PrepareForUpdate(obj, old);
        if (oldMeta["deletionTimestamp"] is not null && HasNewFinalizers(meta, oldMeta))
        {
            throw ApiException.Invalid(t, name, [FieldError.Forbidden("metadata.finalizers", "no new finalizers can be added if the object is being deleted")]);
        }
        Validate(t, obj, old, name);
        if (t.Strategy.TracksGeneration && !JsonNode.DeepEquals(SpecPart(obj, t), SpecPart(old, t)))
        {
            meta["generation"] = (oldMeta["generation"]?.GetValue<long>() ?? 0) + 1;
        }
        if (recordUpdate)
        {
            FieldManager.Update(t, old, obj, options.FieldManager, subresource);
        }
        if (JsonNode.DeepEquals(Comparable(obj), Comparable(old)))
        {
            return old;
        }
        if (options.DryRun)
        {
            CheckSize(obj);
            meta["resourceVersion"] = oldMeta["resourceVersion"]?.DeepClone();
            return obj;
        }
        var key = Key(t, ns, name);
        if (meta["deletionTimestamp"] is not null && meta["finalizers"] is not JsonArray { Count: > 0 })
        {
            var gone = Store.Delete(key, r => Render(obj, r));
            AfterWrite(t, obj, deleted: true);
            return Present(t, gone.Json);
        }
        Store.Put(key, "MODIFIED", r => Render(obj, r));
        AfterWrite(t, obj, deleted: false);
        return obj;
    }

    /// <summary>One resource type per stored group/resource (CRDs may serve several versions).</summary>
    public IEnumerable<ResourceType> DistinctStorage() =>
        Catalog.All.GroupBy(t => (t.Group, t.StorageResource)).Select(g => g.First());

    private void AfterWrite(ResourceType t, JsonObject obj, bool deleted)
    {
        if (t.Kind != "CustomResourceDefinition" || t.Group != "apiextensions.k8s.io")
        {
            return;
        }
        var name = Str(obj["metadata"]?["name"]);
        if (!deleted)
        {
            Catalog.SetCrd(obj);
            return;
        }
        var group = Str(obj["spec"]?["group"]);
        var plural = Str(obj["spec"]?["names"]?["plural"]);
        if (Catalog.FindAnyVersion(group, plural) is { } crt)
        {
            foreach (var o in Store.List(group, plural, null))
            {
                var cr = JsonNode.Parse(o.Json)!.AsObject();
                Store.Delete(o.Key, r => Render(cr, r));
            }
            _ = crt;
        }
        Catalog.RemoveCrd(name);
    }

    /// <summary>Loads every stored CRD into the catalog (at startup).</summary>
    public void LoadCrds()
    {
        foreach (var o in Store.List("apiextensions.k8s.io", "customresourcedefinitions", null))
        {
            Catalog.SetCrd(JsonNode.Parse(o.Json)!.AsObject());
        }
    }

    private void CheckNamespaceAccepts(string ns)
    {
        var nsType = Catalog.Find("", "v1", "namespaces")!;
        var stored = Store.Get(Key(nsType, null, ns)) ?? throw ApiException.NamespaceNotFound(ns);
        if (stored.Json.Contains("\"deletionTimestamp\"", StringComparison.Ordinal))
        {
            throw ApiException.Forbidden($"unable to create new content in namespace {ns} because it is being terminated",
                new JsonObject { ["name"] = ns, ["kind"] = "namespaces", ["causes"] = new JsonArray(new JsonObject { ["reason"] = "NamespaceTerminating", ["message"] = $"namespace {ns} is being terminated", ["field"] = "metadata.namespace" }) });
        }
    }

    private static void CheckTypeMeta(ResourceType t, JsonObject body)
    {
        if (body["apiVersion"] is JsonValue av && Str(av) is { Length: > 0 } apiVersion && apiVersion != t.GroupVersion)
        {
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({t.GroupVersion})");
        }
        if (body["kind"] is JsonValue kv && Str(kv) is { Length: > 0 } kind && kind != t.Kind)
        {
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({t.Kind})");
        }
        if (body["metadata"] is { } m && m is not JsonObject)
        {
            throw ApiException.BadRequest($"{t.Kind} in version \"{t.Version}\" cannot be handled as a {t.Kind}: metadata must be an object");
        }
    }

    private static void BindNamespace(ResourceType t, string? ns, JsonObject meta)
    {
        if (!t.Namespaced)
        {
            meta.Remove("namespace");
            return;
        }
        var bodyNs = Str(meta["namespace"]);
        if (bodyNs != "" && bodyNs != ns)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
        meta["namespace"] = ns;
    }

    /// <summary>apiVersion, kind and metadata first, then the rest in their original order.</summary>
    private static JsonObject Normalize(ResourceType t, JsonObject body)
    {
        var obj = new JsonObject { ["apiVersion"] = t.GroupVersion, ["kind"] = t.Kind, ["metadata"] = body["metadata"]?.DeepClone() ?? new JsonObject() };
        foreach (var (k, v) in body)
        {
            if (k is not ("apiVersion" or "kind" or "metadata"))
            {
                obj[k] = v?.DeepClone();
            }
        }
        return obj;
    }

    /// <summary>
    /// The schema's checks (for CRDs after filling in its defaults, then its validation rules), pruning unknown
    /// fields; <paramref name="old"/> is the stored object on update.
    /// </summary>
    private static void ValidateSchema(ResourceType t, JsonObject obj, JsonObject? old, string name, WriteOptions options)
    {
        var unknown = new List<string>();
        if (obj["metadata"] is JsonObject meta && BuiltinSchemas.Instance.Definitions.TryGetValue("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", out var metaSchema))
        {
            var r = SchemaValidator.Validate(meta, metaSchema, new SchemaOptions { Resolve = BuiltinSchemas.Instance.Resolve, OpenEmptyObjects = true });
            unknown.AddRange(r.UnknownFields.Select(f => "metadata." + f));
            if (r.TypeErrors.Count > 0)
            {
                throw DecodeError(t, r.TypeErrors.Select(e => "metadata." + e));
            }
        }
        var errors = new List<FieldError>();
        if (t.Strategy.Schema is { } schema)
        {
            if (schema.ApplyDefaults)
            {
                SchemaDefaulter.Apply(obj, schema.Root);
            }
            var result = SchemaValidator.Validate(obj, schema.Root, schema.Options, schema.SkipRootFields);
            unknown.AddRange(result.UnknownFields);
            if (result.TypeErrors.Count > 0)
            {
                if (!t.IsCustom)
                {
                    throw DecodeError(t, result.TypeErrors.Select(e => e.ToString()));
                }
                errors.AddRange(result.TypeErrors);
            }
            errors.AddRange(result.Errors);
            schema.Rules?.Validate(obj, old, errors, options.Warnings);
        }
        if (unknown.Count > 0)
        {
            switch (options.FieldValidation)
            {
                case "Strict":
                    throw ApiException.BadRequest($"{t.Kind} in version \"{t.Version}\" cannot be handled as a {t.Kind}: strict decoding error: {string.Join(", ", unknown.Select(u => $"unknown field \"{u}\""))}");
                case "Ignore":
                    break;
                default:
                    options.Warnings.AddRange(unknown.Select(u => $"unknown field \"{u}\""));
                    break;
            }
        }
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(t, name, errors);
        }
    }

    private static ApiException DecodeError(ResourceType t, IEnumerable<string> details) =>
        ApiException.BadRequest($"{t.Kind} in version \"{t.Version}\" cannot be handled as a {t.Kind}: {string.Join("; ", details)}");

    private static void Validate(ResourceType t, JsonObject obj, JsonObject? old, string name)
    {
        var errors = new List<FieldError>();
        foreach (var message in NameRules.Check(name, t.Strategy.NameRule))
        {
            errors.Add(FieldError.Invalid("metadata.name", name, message));
        }
        if (t.Namespaced && obj["metadata"]?["namespace"] is JsonValue nsv && NameRules.Check(Str(nsv), NameRule.Label).FirstOrDefault() is { } nsError)
        {
            errors.Add(FieldError.Invalid("metadata.namespace", Str(nsv), nsError));
        }
        errors.AddRange(NameRules.CheckLabels(obj["metadata"]?["labels"] as JsonObject));
        if (!t.IsCustom)
        {
            errors.AddRange(BuiltinEnums.Check(t.Kind, obj));
        }
        errors.AddRange(t.Strategy.Validate(obj));
        if (old is not null)
        {
            errors.AddRange(t.Strategy.ValidateUpdate(obj, old));
        }
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(t, name, errors);
        }
    }

    private static bool HasNewFinalizers(JsonObject meta, JsonObject oldMeta)
    {
        var before = (oldMeta["finalizers"] as JsonArray)?.Select(f => Str(f)).ToHashSet() ?? [];
        return (meta["finalizers"] as JsonArray)?.Any(f => !before.Contains(Str(f))) == true;
    }

    private static JsonObject SpecPart(JsonObject obj, ResourceType t)
    {
        var copy = new JsonObject();
        foreach (var (k, v) in obj)
        {
            if (k is "metadata" or "apiVersion" or "kind" || (k == "status" && t.HasStatus))
            {
                continue;
            }
            copy[k] = v?.DeepClone();
        }
        return copy;
    }

    /// <summary>The object without the fields every write changes, to detect no-op updates.</summary>
    private static JsonObject Comparable(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        if (copy["metadata"] is JsonObject m)
        {
            m.Remove("resourceVersion");
        }
        return copy;
    }

    private static void CheckSize(JsonObject obj)
    {
        var size = Encoding.UTF8.GetByteCount(obj.ToJsonString(JsonText.Options));
        if (size > MaxObjectBytes)
        {
            throw ApiException.TooLarge($"Request entity too large: limit is {MaxObjectBytes}");
        }
    }

    /// <summary>Stamps the revision and serializes; refuses objects over the size limit before anything is stored.</summary>
    private static string Render(JsonObject obj, long rv)
    {
        ((JsonObject)obj["metadata"]!)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        var json = obj.ToJsonString(JsonText.Options);
        if (json.Length > MaxObjectBytes && Encoding.UTF8.GetByteCount(json) > MaxObjectBytes)
        {
            throw ApiException.TooLarge($"Request entity too large: limit is {MaxObjectBytes}");
        }
        return json;
    }

    private static string RandomSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        Span<char> chars = stackalloc char[5];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(alphabet.Length)];
        }
        return new string(chars);
    }

    private static string Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
