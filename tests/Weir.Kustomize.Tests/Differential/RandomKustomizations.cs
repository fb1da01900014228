using System.Text;

namespace Weir.Kustomize.Tests.Differential;

/// <summary>Small random kustomizations, one generator per area where Weir once disagreed with kubectl.</summary>
internal static class RandomKustomizations
{
    private static readonly string[] Images = ["nginx", "nginx:1.2", "nginx@sha256:abc", "nginx:1@sha256:abc", "reg:5000/nginx:3", "reg/nginx", "busybox", "nginxy:1", "docker.io/nginx:2", "dockerXio/nginx"];

    /// <summary>The images transformer over empty, null, missing and filled container lists.</summary>
    public static Dictionary<string, string> Images_(Random rnd)
    {
        var docs = new List<string>();
        for (var i = rnd.Next(1, 4); i > 0; i--)
        {
            var kind = rnd.Pick("Deployment", "Pod", "CronJob", "Foo", "CustomResourceDefinition");
            var (api, path) = kind switch
            {
                "Deployment" => ("apps/v1", "spec:\n  template:\n    spec:\n"),
                "Pod" => ("v1", "spec:\n"),
                "CronJob" => ("batch/v1", "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n"),
                "CustomResourceDefinition" => ("apiextensions.k8s.io/v1", "spec:\n  x:\n"),
                _ => ("x.io/v1", "spec:\n  deep:\n"),
            };
            var indent = new string(' ', path.Split('\n')[^2].Length - path.Split('\n')[^2].TrimStart().Length + 2);
            var body = new StringBuilder(path);
            foreach (var field in new[] { "containers", "initContainers" })
            {
                switch (rnd.Next(6))
                {
                    case 0:
                        break;
                    case 1:
                        body.Append($"{indent}{field}: []\n");
                        break;
                    case 2:
                        body.Append($"{indent}{field}:{rnd.Pick("", " null", " ~")}\n");
                        break;
                    default:
                        body.Append($"{indent}{field}:\n");
                        for (var c = rnd.Next(1, 3); c > 0; c--)
                        {
                            body.Append($"{indent}- name: c{c}\n");
                            if (!rnd.OneIn(5))
                            {
                                body.Append($"{indent}  image: {rnd.Pick(Images)}\n");
                            }
                        }

                        break;
                }
            }

            if (body.ToString() == path)
            {
                body.Append($"{indent}other: 1\n");
            }

            docs.Add($"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: r{i}\n{body}");
        }

        var k = new StringBuilder("resources:\n- r.yaml\nimages:\n");
        for (var i = rnd.Next(1, 3); i > 0; i--)
        {
            k.Append($"- name: {rnd.Pick("nginx", "reg/nginx", "busybox", "reg:5000/nginx", "docker.io/nginx")}\n");
            if (rnd.OneIn(2))
            {
                k.Append($"  newName: {rnd.Pick("mirror/nginx", "other")}\n");
            }

            switch (rnd.Next(4))
            {
                case 0:
                    k.Append($"  newTag: \"{rnd.Next(1, 9)}\"\n");
                    break;
                case 1:
                    k.Append("  digest: sha256:def\n");
                    break;
                case 2:
                    k.Append($"  tagSuffix: -s{rnd.Next(9)}\n");
                    break;
            }
        }

        return new() { ["kustomization.yaml"] = k.ToString(), ["r.yaml"] = string.Join("---\n", docs) };
    }

    private const string TwoDeployments = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels:
            app: web
        spec:
          template:
            spec:
              containers:
              - name: main
                image: nginx
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
          labels:
            app: api
        spec:
          template:
            spec:
              containers:
              - name: main
                image: busybox
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          ports:
          - port: 80

        """;

    /// <summary>A <c>patches</c> entry with one or several strategic merge documents (or a List) and a target.</summary>
    public static Dictionary<string, string> MultiDocPatches(Random rnd)
    {
        var docs = new List<string>();
        for (var i = rnd.Next(1, 4); i > 0; i--)
        {
            docs.Add($"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {rnd.Pick("web", "api", "x")}\nspec:\n  replicas: {rnd.Next(1, 9)}\n");
        }

        var patch = rnd.Next(6) switch
        {
            0 => "---\n" + string.Join("---\n", docs),
            4 => string.Join("---\n---\n", docs),
            5 => "apiVersion: apps/v1\nkind: DeploymentList\nitems:\n---\n" + string.Join("---\n", docs),
            1 => string.Join("---\n", docs) + "---\n",
            2 => "apiVersion: v1\nkind: List\nitems:\n" + string.Join("", docs.Select(d => "- " + d.Replace("\n", "\n  ").TrimEnd() + "\n")),
            _ => string.Join("---\n", docs),
        };
        var target = rnd.Pick("kind: Deployment", "name: web", "labelSelector: app=api", "kind: Service");
        var inline = rnd.OneIn(2);
        var k = $"resources:\n- r.yaml\npatches:\n- target:\n    {target}\n"
            + (inline ? "  patch: |-\n" + Indent(patch, "    ") : "  path: p.yaml\n");
        var files = new Dictionary<string, string> { ["kustomization.yaml"] = k, ["r.yaml"] = TwoDeployments };
        if (!inline)
        {
            files["p.yaml"] = patch;
        }

        return files;
    }

    /// <summary>Inline patches whose targets are regular expressions over group, version, kind, name and namespace.</summary>
    public static Dictionary<string, string> RegexTargets(Random rnd)
    {
        var target = new StringBuilder();
        foreach (var (key, options) in new[]
        {
            ("kind", new[] { "Deploy.*", "Deployment|Service", "(Service)", "[DS].*", ".*ment", "deployment" }),
            ("name", new[] { "web|api", "w.*", ".*", "a[a-z]+", "web-?.*", "(x)?api" }),
            ("group", new[] { "apps", "app.*", "", "apps|" }),
            ("version", new[] { "v1", "v.", "v2" }),
            ("namespace", new[] { "default", "def.*", "other|default" }),
        })
        {
            if (rnd.OneIn(2))
            {
                target.Append($"    {key}: \"{rnd.Pick(options)}\"\n");
            }
        }

        if (target.Length == 0)
        {
            target.Append("    name: \"w.*\"\n");
        }

        var patch = rnd.OneIn(2)
            ? "  patch: |-\n    - op: add\n      path: /metadata/annotations\n      value: {hit: \"yes\"}\n"
            : "  patch: |-\n    kind: Whatever\n    metadata:\n      name: ignored\n      annotations:\n        hit: smp\n";
        return new()
        {
            ["kustomization.yaml"] = $"resources:\n- r.yaml\npatches:\n- target:\n{target}{patch}",
            ["r.yaml"] = TwoDeployments,
        };
    }

    /// <summary>Patches that rename or re-kind an object, followed by references and patches to the old and new ids.</summary>
    public static Dictionary<string, string> Renames(Random rnd)
    {
        var newName = rnd.Pick("cfg2", "renamed", "cfg");
        var newKind = rnd.Pick("ConfigMap", "Secret");
        var options = new StringBuilder();
        if (rnd.OneIn(3) is false)
        {
            options.Append("  options:\n");
            options.Append($"    allowNameChange: {(rnd.OneIn(4) ? "false" : "true")}\n");
            if (rnd.OneIn(2))
            {
                options.Append("    allowKindChange: true\n");
            }
        }

        var rename = rnd.OneIn(2)
            ? $"- target:\n    kind: ConfigMap\n    name: cfg\n  patch: |-\n    apiVersion: v1\n    kind: {newKind}\n    metadata:\n      name: {newName}\n{options}"
            : $"- target:\n    kind: ConfigMap\n    name: cfg\n  patch: |-\n    - op: replace\n      path: /metadata/name\n      value: {newName}\n";
        var later = rnd.Pick(
            "",
            $"- patch: |-\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: {rnd.Pick("cfg", newName)}\n    data:\n      later: \"1\"\n",
            $"- target:\n    name: {rnd.Pick("cfg", newName)}\n  patch: |-\n    - op: add\n      path: /data/t\n      value: \"2\"\n");
        var prefix = (rnd.OneIn(2) ? "namePrefix: p-\n" : "") + (rnd.OneIn(3) ? "namespace: team\n" : "");
        var overlay = rnd.OneIn(2);
        var baseK = $"resources:\n- r.yaml\n{(overlay ? "" : prefix)}patches:\n{rename}{(overlay ? "" : later)}";
        var files = new Dictionary<string, string>
        {
            ["base/kustomization.yaml"] = baseK,
            ["base/r.yaml"] = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: cfg
                data:
                  a: "1"
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  template:
                    spec:
                      containers:
                      - name: main
                        image: nginx
                        envFrom:
                        - configMapRef:
                            name: cfg
                        - secretRef:
                            name: cfg
                      volumes:
                      - name: v
                        configMap:
                          name: cfg

                """,
            ["kustomization.yaml"] = overlay ? $"resources:\n- base\n{prefix}" + (later.Length > 0 ? "patches:\n" + later : "") : "resources:\n- base\n",
        };
        return files;
    }

    /// <summary>Strategic merges of container lists: sidecars beside existing containers, reordered, removed.</summary>
    public static Dictionary<string, string> ContainerMerges(Random rnd)
    {
        string Containers(string indent, string[] names, bool patch)
        {
            var text = new StringBuilder();
            foreach (var n in names)
            {
                text.Append($"{indent}- name: {n}\n");
                if (patch && rnd.OneIn(6))
                {
                    text.Append($"{indent}  $patch: delete\n");
                    continue;
                }

                if (!patch || rnd.OneIn(2))
                {
                    text.Append($"{indent}  image: {n}:{rnd.Next(1, 4)}\n");
                }

                if (rnd.OneIn(3))
                {
                    text.Append($"{indent}  ports:\n{indent}  - containerPort: {rnd.Pick(80, 81, 443)}\n");
                }

                if (rnd.OneIn(3))
                {
                    text.Append($"{indent}  env:\n{indent}  - name: {rnd.Pick("A", "B")}\n{indent}    value: v{rnd.Next(3)}\n");
                }
            }

            return text.ToString();
        }

        string[] Names(string[] pool) => pool.OrderBy(_ => rnd.Next()).Take(rnd.Next(1, pool.Length + 1)).ToArray();
        var baseNames = Names(["main", "proxy", "log"]);
        var patchNames = Names(["main", "proxy", "log", "side", "agent"]);
        var resources = $"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n{Containers("      ", baseNames, false)}";
        if (rnd.OneIn(2))
        {
            resources += $"      initContainers:\n{Containers("      ", Names(["init", "migrate"]), false)}";
        }

        var patch = $"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n{Containers("      ", patchNames, true)}";
        if (rnd.OneIn(3))
        {
            patch += $"      initContainers:\n{Containers("      ", Names(["init", "migrate", "wait"]), true)}";
        }

        if (rnd.OneIn(4))
        {
            patch += "      $setElementOrder/containers:\n" + string.Join("", patchNames.Concat(baseNames).Distinct().OrderBy(_ => rnd.Next()).Select(n => $"      - name: {n}\n"));
        }

        return new()
        {
            ["kustomization.yaml"] = "resources:\n- r.yaml\npatches:\n- path: p.yaml\n" + (rnd.OneIn(2) ? "- path: p.yaml\n" : ""),
            ["r.yaml"] = resources,
            ["p.yaml"] = patch,
        };
    }

    /// <summary>The ValueAddTransformer with targets missing, blank or odd field paths.</summary>
    public static Dictionary<string, string> ValueAdd(Random rnd)
    {
        var targets = new StringBuilder();
        for (var i = rnd.Next(0, 3); i > 0; i--)
        {
            targets.Append("- ");
            var first = true;
            void Field(string text)
            {
                targets.Append(first ? text : "  " + text);
                first = false;
            }

            if (rnd.OneIn(2))
            {
                Field($"selector:\n    kind: {rnd.Pick("Deployment", "Service", "ConfigMap")}\n");
            }

            switch (rnd.Next(6))
            {
                case 0:
                    break;
                case 1:
                    Field("fieldPath: \"\"\n");
                    break;
                case 2:
                    Field("fieldPath: metadata/namespace\n");
                    break;
                case 3:
                    Field($"fieldPath: {rnd.Pick("metadata/annotations/x", "spec/template/metadata/labels/v", "data/k")}\n");
                    break;
                case 4:
                    Field($"fieldpath: {rnd.Pick("metadata/namespace", "metadata/labels/l")}\n");
                    break;
                default:
                    Field($"fieldPath: metadata/annotations/p\n  filePathPosition: {rnd.Next(-1, 3)}\n");
                    break;
            }

            if (first)
            {
                targets.Append("{}\n");
            }
        }

        var value = rnd.Pick("", "v1", " spaced ", "a/b");
        var transformer = "apiVersion: builtin\nkind: ValueAddTransformer\nmetadata:\n  name: add\n"
            + (value.Length > 0 ? $"value: \"{value}\"\n" : "")
            + (targets.Length > 0 ? "targets:\n" + targets : "");
        return new()
        {
            ["kustomization.yaml"] = "resources:\n- r.yaml\ntransformers:\n- t.yaml\n",
            ["r.yaml"] = TwoDeployments + "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    p: a/b/c\ndata:\n  k: v\n",
            ["t.yaml"] = transformer,
        };
    }

    /// <summary>Blank, spaced and invalid namespaces in the kustomization, the resources and a NamespaceTransformer.</summary>
    public static Dictionary<string, string> BlankNamespaces(Random rnd)
    {
        string Ns() => rnd.Pick("\"\"", "\" \"", "ns", "\"~\"", "null", "Upper", "\"a b\"", "\"\\t\"");
        var k = new StringBuilder("resources:\n- r.yaml\n");
        if (rnd.OneIn(3) is false)
        {
            k.Append($"namespace: {Ns()}\n");
        }

        var transformers = "";
        if (rnd.OneIn(3))
        {
            k.Append("transformers:\n- t.yaml\n");
            transformers = $"apiVersion: builtin\nkind: NamespaceTransformer\nmetadata:\n  name: ns\n  namespace: {Ns()}\n";
        }

        var docs = new List<string>();
        foreach (var kind in new[] { "ConfigMap", "ClusterRole", "RoleBinding" }.Where(_ => !rnd.OneIn(3)))
        {
            var api = kind == "ConfigMap" ? "v1" : "rbac.authorization.k8s.io/v1";
            var ns = rnd.OneIn(2) ? $"  namespace: {Ns()}\n" : "";
            var extra = kind == "RoleBinding"
                ? $"subjects:\n- kind: ServiceAccount\n  name: sa\n{(rnd.OneIn(2) ? $"  namespace: {Ns()}\n" : "")}roleRef:\n  kind: ClusterRole\n  name: r\n  apiGroup: rbac.authorization.k8s.io\n"
                : "";
            docs.Add($"apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: r\n{ns}{extra}");
        }

        if (docs.Count == 0)
        {
            docs.Add($"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: {Ns()}\n");
        }

        var files = new Dictionary<string, string> { ["kustomization.yaml"] = k.ToString(), ["r.yaml"] = string.Join("---\n", docs) };
        if (transformers.Length > 0)
        {
            files["t.yaml"] = transformers;
        }

        return files;
    }

    /// <summary>Name references to and from resources annotated <c>config.kubernetes.io/local-config</c>.</summary>
    public static Dictionary<string, string> LocalConfigReferences(Random rnd)
    {
        string Local() => rnd.OneIn(2) ? $"  annotations:\n    config.kubernetes.io/local-config: {rnd.Pick("\"true\"", "\"false\"", "\"TRUE\"")}\n" : "";
        var resources = $"""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: cfg
            {Local()}data:
              a: "1"
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            {Local()}spec:
              template:
                spec:
                  serviceAccountName: sa
                  containers:
                  - name: main
                    image: nginx
                    envFrom:
                    - configMapRef:
                        name: cfg
                    - configMapRef:
                        name: gen
            ---
            apiVersion: v1
            kind: ServiceAccount
            metadata:
              name: sa
            {Local()}
            """.Replace("\n\n", "\n");
        var k = new StringBuilder("resources:\n- r.yaml\n");
        k.Append(rnd.Pick("namePrefix: p-\n", "nameSuffix: -s\n", "namePrefix: x-\nnameSuffix: -y\n"));
        k.Append("configMapGenerator:\n- name: gen\n  literals:\n  - k=v\n");
        if (rnd.OneIn(2))
        {
            k.Append("  options:\n    annotations:\n      config.kubernetes.io/local-config: \"true\"\n");
        }

        if (rnd.OneIn(3))
        {
            k.Append("namespace: team\n");
        }

        return new() { ["kustomization.yaml"] = k.ToString(), ["r.yaml"] = resources };
    }

    /// <summary><c>buildMetadata: [originAnnotations]</c> with generators that replace or merge a base's.</summary>
    public static Dictionary<string, string> OriginsWithBehaviors(Random rnd)
    {
        var metadata = rnd.Pick("[originAnnotations]", "[originAnnotations, transformerAnnotations]", "[managedByLabel, originAnnotations]");
        var baseGen = rnd.Pick("configMapGenerator", "secretGenerator");
        var files = new Dictionary<string, string>
        {
            ["base/kustomization.yaml"] = $"{(rnd.OneIn(2) ? $"buildMetadata: {metadata}\n" : "")}resources:\n- cm.yaml\n{baseGen}:\n- name: gen\n  literals:\n  - a=1\n",
            ["base/cm.yaml"] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\ndata:\n  p: \"1\"\n",
        };
        var overlay = new StringBuilder($"buildMetadata: {metadata}\nresources:\n- base\n");
        var behavior = rnd.Pick("replace", "merge", "create");
        var name = behavior == "create" ? "gen2" : rnd.Pick("gen", "plain");
        overlay.Append($"{(rnd.OneIn(3) ? "configMapGenerator" : baseGen)}:\n- name: {name}\n  behavior: {behavior}\n");
        if (rnd.OneIn(2))
        {
            overlay.Append("  literals:\n  - b=2\n");
        }
        else
        {
            overlay.Append("  files:\n  - f.txt\n");
            files["f.txt"] = "file\n";
        }

        if (rnd.OneIn(3))
        {
            overlay.Append("namePrefix: o-\n");
        }

        files["kustomization.yaml"] = overlay.ToString();
        return files;
    }

    private static string Indent(string text, string indent) =>
        string.Join("", text.Split('\n').Where(l => l.Length > 0).Select(l => indent + l + "\n"));
}
