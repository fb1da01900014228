using System.Text.Json.Nodes;
using Weir.Core.Objects;
using Weir.Kustomize.Config;
using Weir.Kustomize.Model;

namespace Weir.Kustomize.Transformers;

/// <summary>
/// Makes references follow renames: a field that names a ConfigMap, Secret, ServiceAccount, ... by its old name
/// gets the referred resource's current name (prefix, suffix, hash), and namespace where the field has one.
/// </summary>
public sealed class NameReferenceTransformer(IReadOnlyList<NameBackReference> backReferences) : IResourceTransformer
{
    public void Transform(ResourceMap resources)
    {
        // Only renamed resources can be referral targets: index them by every name they had.
        var byPreviousName = new Dictionary<string, List<Resource>>(StringComparer.Ordinal);
        foreach (var r in resources.Resources)
        {
            foreach (var name in r.PreviousIds.Select(i => i.Name).Distinct())
            {
                if (!byPreviousName.TryGetValue(name, out var list))
                {
                    byPreviousName[name] = list = [];
                }

                list.Add(r);
            }
        }

        foreach (var referrer in resources.Resources.ToList())
        {
            var orgId = referrer.OriginalId;
            Func<Resource, bool>? couldBeReferenced = null;
            foreach (var back in backReferences)
            {
                foreach (var spec in back.Referrers)
                {
                    if (!spec.AppliesTo(orgId))
                    {
                        continue;
                    }

                    // kustomize works out (and validates) the candidates of every referrer, renamed resources or not.
                    couldBeReferenced ??= CouldBeReferencedBy(referrer);
                    if (byPreviousName.Count == 0)
                    {
                        continue;
                    }

                    var update = new Update(referrer, back, spec, byPreviousName, couldBeReferenced);
                    FieldPath.Apply(referrer.Object, spec.Path, false, update.Set);
                }
            }
        }
    }

    private static Func<Resource, bool> CouldBeReferencedBy(Resource referrer)
    {
        var referrerId = referrer.CurrentId;
        if (referrerId.IsClusterScoped)
        {
            return _ => true;
        }

        var bindingNamespaces = new HashSet<string>();
        if (referrer.Kind == "RoleBinding" && referrer.Object["subjects"] is JsonArray subjects)
        {
            foreach (var s in subjects.OfType<JsonObject>())
            {
                if (s.TryGetPropertyValue("namespace", out var ns) && s["kind"]?.ToString() == "ServiceAccount")
                {
                    bindingNamespaces.Add(ns is JsonValue v && v.TryGetValue<string>(out var name)
                        ? name
                        : throw new KustomizeException($"Invalid Input: namespace is blank for resource \"{referrerId}\""));
                }
            }
        }

        // Any resource in a namespace a RoleBinding's ServiceAccount subjects name may be referred to, as in kustomize.
        return r =>
        {
            var id = r.CurrentId;
            return id.IsClusterScoped || id.IsNsEquals(referrerId) || bindingNamespaces.Contains(id.Namespace);
        };
    }

    private sealed class Update(
        Resource referrer, NameBackReference back, FieldSpec spec, Dictionary<string, List<Resource>> byPreviousName, Func<Resource, bool> couldBeReferenced)
    {
        public JsonNode? Set(JsonNode? node) => node switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => SetScalar(v, s),
            JsonObject o => SetMapping(o),
            JsonArray a => SetList(a),
            _ => node,
        };

        private JsonArray SetList(JsonArray list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                switch (list[i])
                {
                    case JsonValue v when v.TryGetValue<string>(out var s):
                        var updated = SetScalar(v, s);
                        if (!ReferenceEquals(updated, v))
                        {
                            list[i] = updated;
                        }

                        break;
                    case JsonObject o:
                        SetMapping(o);
                        break;
                }
            }

            return list;
        }

        private JsonNode SetScalar(JsonValue node, string oldName)
        {
            var referral = Select(oldName, Candidates(oldName), sameNamespace: false);
            if (referral is null)
            {
                return node;
            }

            referral.ReferencedBy.Add(referrer.CurrentId);
            return referral.Name == oldName ? node : JsonValue.Create(referral.Name);
        }

        private JsonObject SetMapping(JsonObject node)
        {
            if (node["name"] is not JsonValue nameNode || !nameNode.TryGetValue<string>(out var oldName))
            {
                return node;
            }

            var candidates = Candidates(oldName);
            var pool = candidates;
            if (node["namespace"] is JsonValue nsNode)
            {
                var ns = nsNode.ToString();
                var byOriginal = candidates.Where(c => c.OriginalId.EffectiveNamespace == ns || (c.OriginalId.Namespace == ns)).ToList();
                pool = byOriginal.Count > 0 ? byOriginal : candidates.Where(c => c.Object.Namespace() == ns).ToList();
            }

            var referral = Select(oldName, pool, sameNamespace: true);
            if (referral is null)
            {
                return node;
            }

            referral.ReferencedBy.Add(referrer.CurrentId);
            var referralNs = referral.Object.Namespace();
            if (referral.Name == oldName && referralNs.Length == 0)
            {
                return node;
            }

            node["name"] = referral.Name;
            if (referralNs.Length > 0)
            {
                node["namespace"] = referralNs;
            }

            return node;
        }

        private List<Resource> Candidates(string oldName) =>
            byPreviousName.TryGetValue(oldName, out var list) ? list.Where(couldBeReferenced).ToList() : [];

        private Resource? Select(string oldName, List<Resource> pool, bool sameNamespace)
        {
            var list = pool.Where(r => r.PreviousIds.Any(i => i.Name == oldName)).ToList();
            list = list.Where(r => r.PreviousIds.Any(i => i.IsSelectedBy(back.Group, back.Version, back.Kind))).ToList();
            list = list.Where(RoleRefMatches).ToList();
            list = list.Where(SameCurrentNamespace).ToList();
            if (list.Count == 1)
            {
                return list[0];
            }

            list = list.Where(r => PrefixesSuffixesEqual(r, allowEmpty: true)).ToList();
            if (list.Count > 1)
            {
                list = list.Where(r => PrefixesSuffixesEqual(r, allowEmpty: false)).ToList();
            }

            if (list.Count == 1)
            {
                return list[0];
            }

            if (list.Count == 0)
            {
                return null;
            }

            var first = list[0];
            if (list.All(r => r.Name == first.Name && (!sameNamespace || r.Object.Namespace() == first.Object.Namespace())))
            {
                return first;
            }

            throw new KustomizeException(
                $"found multiple possible referrals: {string.Join(", ", list.Select(r => r.CurrentId))} for '{spec.Path}' of {referrer.CurrentId}");
        }

        private bool RoleRefMatches(Resource r)
        {
            if (!spec.Path.EndsWith("roleRef/name", StringComparison.Ordinal))
            {
                return true;
            }

            if (referrer.Object["roleRef"] is not JsonObject roleRef || roleRef["apiGroup"] is null || roleRef["kind"] is null)
            {
                return true;
            }

            var group = roleRef["apiGroup"]!.ToString();
            var kind = roleRef["kind"]!.ToString();
            return r.PreviousIds.Any(i => i.IsSelectedBy(group, "", kind));
        }

        private bool SameCurrentNamespace(Resource r)
        {
            var referrerId = referrer.CurrentId;
            if (referrerId.IsClusterScoped)
            {
                return true;
            }

            var id = r.CurrentId;
            return id.IsClusterScoped || r.Kind == "ServiceAccount" || referrerId.IsNsEquals(id);
        }

        private bool PrefixesSuffixesEqual(Resource r, bool allowEmpty)
        {
            if (allowEmpty)
            {
                var eitherPrefixEmpty = r.NamePrefixes.Count == 0 || referrer.NamePrefixes.Count == 0;
                var eitherSuffixEmpty = r.NameSuffixes.Count == 0 || referrer.NameSuffixes.Count == 0;
                return (eitherPrefixEmpty || SameEnding(r.NamePrefixes, referrer.NamePrefixes))
                    && (eitherSuffixEmpty || SameEnding(r.NameSuffixes, referrer.NameSuffixes));
            }

            return SameEnding(r.NamePrefixes, referrer.NamePrefixes) && SameEnding(r.NameSuffixes, referrer.NameSuffixes);
        }

        private static bool SameEnding(List<string> a, List<string> b)
        {
            var (shorter, longer) = a.Count <= b.Count ? (a, b) : (b, a);
            if (shorter.Count == 0)
            {
                return longer.Count == 0;
            }

            return shorter.SequenceEqual(longer.Skip(longer.Count - shorter.Count));
        }
    }
}
