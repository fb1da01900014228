using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Kustomize.Config;
using Weir.Kustomize.Model;

namespace Weir.Kustomize.Transformers;

/// <summary>
/// Sets the namespace of every namespaced resource (and the fields the namespace field specs name); renames
/// v1 Namespace objects; updates ServiceAccount subjects of role bindings per <c>setRoleBindingSubjects</c>.
/// </summary>
public sealed class NamespaceTransformer(string ns, IReadOnlyList<FieldSpec> fieldSpecs, bool unsetOnly = false, string subjectMode = "") : IResourceTransformer
{
    public void Transform(ResourceMap resources)
    {
        // kustomize's transformer does nothing without a namespace.
        if (ns.Length == 0)
        {
            return;
        }

        foreach (var r in resources.Resources)
        {
            var before = r.CurrentId;
            var id = r.CurrentId;
            JsonNode? Setter(JsonNode? current)
            {
                if (current is JsonObject or JsonArray)
                {
                    throw new KustomizeException($"namespace field specs must target scalar nodes: a field of {id} is a {(current is JsonArray ? "list" : "map")}");
                }

                if (unsetOnly && current is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0)
                {
                    return current;
                }

                return JsonValue.Create(ns);
            }

            if (!id.IsClusterScoped)
            {
                FieldPath.Apply(r.Object, "metadata/namespace", true, Setter);
            }

            var isBinding = id.Gvk.Kind is "RoleBinding" or "ClusterRoleBinding";
            foreach (var spec in fieldSpecs)
            {
                if (spec.Path == "metadata/namespace" || !spec.AppliesTo(id))
                {
                    continue;
                }

                if (spec.Path == "metadata/name" && r.Object.ApiVersion() != "v1")
                {
                    continue;
                }

                if (isBinding && spec.Path == "subjects/namespace")
                {
                    continue;
                }

                FieldPath.Apply(r.Object, spec.Path, spec.Create, Setter);
            }

            if (isBinding && subjectMode != "none" && r.Object["subjects"] is JsonArray subjects)
            {
                foreach (var subject in subjects.OfType<JsonObject>())
                {
                    var match = subjectMode == "allServiceAccounts"
                        ? subject["kind"]?.ToString() == "ServiceAccount"
                        : subject["name"]?.ToString() == "default";
                    if (match)
                    {
                        subject["namespace"] = Setter(subject["namespace"])?.DeepClone();
                    }
                }
            }

            // kustomize records the previous id of every resource the namespace transformer visits, renamed or not;
            // that makes unrenamed resources referral candidates too.
            r.PreviousIds.Add(before with { Namespace = before.EffectiveNamespace });
        }
    }
}
