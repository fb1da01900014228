namespace Weir.Cluster.Tests;

/// <summary>
/// <c>x-kubernetes-validations</c> semantics on a test CRD with rules at every schema level, through kubectl:
/// messages, messageExpression, reasons and fieldPath as the API server prints them; transition rules and
/// <c>optionalOldSelf</c>; ratcheting of unchanged values; the cost limits; what a CRD with a bad rule gets; and
/// schema defaults on write and on read. Expected texts follow Kubernetes' apiextensions-apiserver
/// (pkg/apiserver/schema/cel/validation.go, pkg/apis/apiextensions/validation/validation.go).
/// </summary>
public sealed class CelValidationRuleTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private const string SpecRules = """
            - rule: self.min <= self.max
              messageExpression: "'min ' + string(self.min) + ' is above max ' + string(self.max)"
              fieldPath: .min
            - rule: self.mode == oldSelf.mode
              message: mode is immutable
            - rule: "!has(self.legacy)"
              reason: FieldValueForbidden
              message: legacy is no longer supported
""";

    private const string Properties = """
              min: {type: integer, default: 0}
              max: {type: integer, default: 10}
              mode: {type: string, default: fast}
              legacy: {type: string}
              tags:
                type: array
                items:
                  type: string
                  x-kubernetes-validations:
                  - rule: self == self.lowerAscii()
                    message: tags must be lowercase
                x-kubernetes-validations:
                - rule: size(self) <= MAXTAGS
                  message: at most MAXTAGS tags
              limits:
                type: object
                additionalProperties:
                  type: integer
                  x-kubernetes-validations:
                  - rule: self >= 0
              ports:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [name]
                items:
                  type: object
                  required: [name]
                  properties:
                    name: {type: string}
                    port: {type: integer}
                  x-kubernetes-validations:
                  - rule: self.port == oldSelf.port
                    message: the port of a named entry is immutable
              size:
                x-kubernetes-int-or-string: true
                x-kubernetes-validations:
                - rule: type(self) == int || self.endsWith('%')
                  message: size is a number or a percentage
              generation:
                type: integer
                x-kubernetes-validations:
                - rule: "oldSelf.hasValue() ? self >= oldSelf.value() : self == 1"
                  optionalOldSelf: true
                  message: generation starts at 1 and never goes down
              until:
                type: string
                format: date-time
                x-kubernetes-validations:
                - rule: self > timestamp('2020-01-01T00:00:00Z')
                  message: until must be after 2020
              uniqueNames:
                type: array
                items: {type: string}
                x-kubernetes-validations:
                - rule: self.all(n, self.exists_one(m, m == n))
                  reason: FieldValueDuplicate
              label:
                type: string
                x-kubernetes-validations:
                - rule: size(self) > 0
                  reason: FieldValueRequired
                  message: must not be empty
              matrix:
                type: array
                items: {type: integer}
                x-kubernetes-validations:
                - rule: self.all(a, self.all(b, self.all(c, a + b + c >= 0)))
              spins:
                type: array
                items:
                  type: integer
                  x-kubernetes-validations:
                  - rule: "SPIN.all(a, SPIN.all(b, a >= b || a < b))"
              endpoint:
                type: string
                x-kubernetes-validations:
                - rule: isURL(self)
                  message: endpoint must be a URL
""";

    /// <summary>A list literal long enough that a rule looping over it twice costs well over a tenth of the budget.</summary>
    private static readonly string Spin = "[" + string.Join(",", Enumerable.Range(0, 300)) + "]";

    /// <summary>A CRD named <paramref name="plural"/>.cel.example.com with the rules above, optionally with more spec properties.</summary>
    private static string Crd(string plural, string kind, int maxTags = 3, string extraProperties = "") => $$$"""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: {{{plural}}}.cel.example.com
        spec:
          group: cel.example.com
          scope: Namespaced
          names: {plural: {{{plural}}}, singular: {{{kind.ToLowerInvariant()}}}, kind: {{{kind}}}}
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema:
                type: object
                x-kubernetes-validations:
                - rule: self.metadata.name.startsWith('g-')
                  message: name must start with g-
                properties:
                  status:
                    type: object
                    properties:
                      phase: {type: string}
                  spec:
                    type: object
                    x-kubernetes-validations:

        """ + SpecRules + "\n            properties:\n" +
        Properties.Replace("MAXTAGS", maxTags.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("SPIN", Spin, StringComparison.Ordinal) + "\n" +
        (extraProperties.Length > 0 ? new string(' ', 14) + extraProperties + "\n" : "");

    private async Task<Kubectl> WithCrdAsync(string plural, string kind, int maxTags = 3, string extra = "")
    {
        var k = new Kubectl(Weir.Testing.Kubectl.Path(31), cluster.Kubeconfig, TestEnv.TempDir("weir-cel-rules-"));
        File.WriteAllText(Path.Combine(k.WorkDir, "crd.yaml"), Crd(plural, kind, maxTags, extra));
        await k.OkAsync("apply", "-f", "crd.yaml");
        return k;
    }

    private static string Object(Kubectl k, string kind, string name, string spec)
    {
        var file = Path.Combine(k.WorkDir, name + ".json");
        File.WriteAllText(file, $$"""{"apiVersion":"cel.example.com/v1","kind":"{{kind}}","metadata":{"name":"{{name}}","namespace":"default"},"spec":{{spec}}}""");
        return file;
    }

    [Fact]
    public async Task EveryFailedRuleIsReportedAtItsLevelAsTheApiServerWordsIt()
    {
        var k = await WithCrdAsync("gadgets", "Gadget");
        var result = await k.RunAsync("create", "-f", Object(k, "Gadget", "bad", """
            {"min":5,"max":1,"legacy":"x","tags":["A","b","c","d"],"limits":{"cpu":-1,"mem":2},"size":"10",
             "generation":2,"until":"2019-06-01T00:00:00Z","uniqueNames":["a","a"],"label":"",
             "ports":[{"name":"http","port":80}]}
            """));

        Assert.Equal(1, result.Code);
        // kubectl sends the object's fields sorted by name, the order in which the rules below spec report.
        Assert.Equal("""
            The Gadget "bad" is invalid: 
            * <nil>: Invalid value: "object": name must start with g-
            * spec.min: Invalid value: "object": min 5 is above max 1
            * spec: Forbidden: legacy is no longer supported
            * spec.generation: Invalid value: "integer": generation starts at 1 and never goes down
            * spec.label: Required value: must not be empty
            * spec.limits[cpu]: Invalid value: "integer": failed rule: self >= 0
            * spec.size: Invalid value: "": size is a number or a percentage
            * spec.tags: Invalid value: "array": at most 3 tags
            * spec.tags[0]: Invalid value: "string": tags must be lowercase
            * spec.uniqueNames: Duplicate value: "array"
            * spec.until: Invalid value: "string": until must be after 2020

            """, result.Err);

        Assert.Contains("created", await k.OkAsync("create", "-f", Object(k, "Gadget", "g-ok", """
            {"min":1,"max":2,"tags":["a"],"limits":{"cpu":1},"size":"50%","generation":1,"until":"2030-01-01T00:00:00Z","uniqueNames":["a","b"],"label":"x"}
            """)));
        Assert.Equal("fast", await k.OkAsync("get", "gadget", "g-ok", "-o", "jsonpath={.spec.mode}"));
    }

    [Fact]
    public async Task TransitionRulesCompareWithTheStoredObject()
    {
        var k = await WithCrdAsync("movers", "Mover");
        await k.OkAsync("create", "-f", Object(k, "Mover", "g-t", """{"mode":"fast","ports":[{"name":"http","port":80}],"generation":1}"""));

        var mode = await k.RunAsync("patch", "mover", "g-t", "--type=merge", "-p", """{"spec":{"mode":"slow"}}""");
        Assert.Equal("The Mover \"g-t\" is invalid: spec: Invalid value: \"object\": mode is immutable\n", mode.Err);

        await k.OkAsync("patch", "mover", "g-t", "--type=merge", "-p", """{"spec":{"ports":[{"name":"http","port":80},{"name":"https","port":443}]}}""");
        var port = await k.RunAsync("patch", "mover", "g-t", "--type=merge", "-p", """{"spec":{"ports":[{"name":"https","port":443},{"name":"http","port":81}]}}""");
        Assert.Equal("The Mover \"g-t\" is invalid: spec.ports[1]: Invalid value: \"object\": the port of a named entry is immutable\n", port.Err);

        var down = await k.RunAsync("patch", "mover", "g-t", "--type=merge", "-p", """{"spec":{"generation":0}}""");
        Assert.Equal("The Mover \"g-t\" is invalid: spec.generation: Invalid value: \"integer\": generation starts at 1 and never goes down\n", down.Err);
        await k.OkAsync("patch", "mover", "g-t", "--type=merge", "-p", """{"spec":{"generation":3}}""");
        Assert.Equal("3 fast", await k.OkAsync("get", "mover", "g-t", "-o", "jsonpath={.spec.generation} {.spec.mode}"));
    }

    [Fact]
    public async Task FailuresOfValuesAnUpdateLeavesUnchangedAreWarnings()
    {
        var k = await WithCrdAsync("ratchets", "Ratchet");
        await k.OkAsync("create", "-f", Object(k, "Ratchet", "g-r", """{"tags":["a","b","c"]}"""));
        File.WriteAllText(Path.Combine(k.WorkDir, "crd.yaml"), Crd("ratchets", "Ratchet", maxTags: 1));
        await k.OkAsync("apply", "-f", "crd.yaml");

        var other = await k.RunAsync("patch", "ratchet", "g-r", "--type=merge", "-p", """{"spec":{"max":20}}""");
        Assert.True(other.Code == 0, other.ToString());
        Assert.Contains("Warning: spec.tags: Invalid value: \"array\": at most 1 tags\n", other.Err);
        var status = await k.RunAsync("patch", "ratchet", "g-r", "--subresource=status", "--type=merge", "-p", """{"status":{"phase":"Ready"}}""");
        Assert.True(status.Code == 0, status.ToString());
        Assert.Contains("Warning: spec.tags: Invalid value: \"array\": at most 1 tags\n", status.Err);

        var changed = await k.RunAsync("patch", "ratchet", "g-r", "--type=merge", "-p", """{"spec":{"tags":["a","b"]}}""");
        Assert.Equal("The Ratchet \"g-r\" is invalid: spec.tags: Invalid value: \"array\": at most 1 tags\n", changed.Err);
    }

    [Fact]
    public async Task ARuleOverItsCostLimitStopsValidation()
    {
        var k = await WithCrdAsync("costlies", "Costly");
        var matrix = "[" + string.Join(",", Enumerable.Range(0, 200)) + "]";
        var result = await k.RunAsync("create", "-f", Object(k, "Costly", "g-c", $$"""{"matrix":{{matrix}},"size":"10"}"""));
        Assert.Equal(
            "The Costly \"g-c\" is invalid: spec.matrix: Invalid value: \"array\": 'operation cancelled: actual cost limit exceeded': " +
            "no further validation rules will be run due to call cost exceeds limit for rule: self.all(a, self.all(b, self.all(c, a + b + c >= 0)))\n",
            result.Err);
    }

    [Fact]
    public async Task RulesOfOneObjectShareACostBudget()
    {
        var k = await WithCrdAsync("budgets", "Budget");
        var spins = "[" + string.Join(",", Enumerable.Repeat(1, 30)) + "]";
        var result = await k.RunAsync("create", "-f", Object(k, "Budget", "g-b", $$"""{"spins":{{spins}},"tags":["A"]}"""));
        Assert.Matches(
            @"^The Budget ""g-b"" is invalid: spec\.spins\[\d+\]: Invalid value: ""integer"": validation failed due to running out of cost budget, no further validation rules will be run\n$",
            result.Err);
    }

    [Fact]
    public async Task SchemaErrorsThatChangeTheShapeSkipTheRules()
    {
        var k = await WithCrdAsync("shapes", "Shape");
        var result = await k.RunAsync("create", "-f", Object(k, "Shape", "bad", """{"ports":[{"port":80}],"min":5,"max":1}"""));
        Assert.Equal("""
            The Shape "bad" is invalid: 
            * spec.ports[0].name: Required value
            * <nil>: Invalid value: "null": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation

            """, result.Err);
    }

    [Fact]
    public async Task ARuleUsingAFunctionWeirLacksIsReportedNotEnforced()
    {
        var k = await WithCrdAsync("probes", "Probe");
        var result = await k.RunAsync("create", "-f", Object(k, "Probe", "g-p", """{"endpoint":"not a url"}"""));
        Assert.True(result.Code == 0, result.ToString());
        Assert.Contains("Warning: spec.endpoint: rule not checked, Weir does not implement isURL: endpoint must be a URL\n", result.Err);
    }

    [Fact]
    public async Task ACrdWhoseRulesDoNotCompileIsRejected()
    {
        var k = new Kubectl(Weir.Testing.Kubectl.Path(31), cluster.Kubeconfig, TestEnv.TempDir("weir-cel-rules-"));
        File.WriteAllText(Path.Combine(k.WorkDir, "crd.yaml"), """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: brokens.cel.example.com
            spec:
              group: cel.example.com
              scope: Namespaced
              names: {plural: brokens, singular: broken, kind: Broken}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        x-kubernetes-validations:
                        - rule: self.nope > 1
                        - rule: self.min +
                        - rule: self.min
                        - rule: self.min > 0
                          reason: FieldValueBogus
                        - rule: self.min > 0
                          fieldPath: .nope
                        - rule: self.min > 0
                          optionalOldSelf: true
                        properties:
                          min: {type: integer}
                          tags:
                            type: array
                            items:
                              type: string
                              x-kubernetes-validations:
                              - rule: self == oldSelf
            """);
        var result = await k.RunAsync("apply", "-f", "crd.yaml");
        Assert.Equal(1, result.Code);
        var rules = "spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations";
        Assert.StartsWith("The CustomResourceDefinition \"brokens.cel.example.com\" is invalid: \n", result.Err);
        Assert.Contains($"* {rules}[3].reason: Unsupported value: \"FieldValueBogus\": supported values: \"FieldValueDuplicate\", \"FieldValueForbidden\", \"FieldValueInvalid\", \"FieldValueRequired\"\n", result.Err);
        Assert.Contains($"* {rules}[4].fieldPath: Invalid value: \".nope\": must be a valid path\n", result.Err);
        Assert.Contains("* spec.validation.openAPIV3Schema.properties[spec].properties[tags].items.x-kubernetes-validations[0].rule: Invalid value: \"self == oldSelf\": " +
            "oldSelf cannot be used on the uncorrelatable portion of the schema within spec.validation.openAPIV3Schema.properties[spec].properties[tags]\n", result.Err);

        // The entries' own mistakes come first; with them fixed, the rules are compiled.
        File.WriteAllText(Path.Combine(k.WorkDir, "crd.yaml"), File.ReadAllText(Path.Combine(k.WorkDir, "crd.yaml"))
            .Replace("reason: FieldValueBogus", "reason: FieldValueForbidden", StringComparison.Ordinal)
            .Replace("fieldPath: .nope", "fieldPath: .min", StringComparison.Ordinal));
        result = await k.RunAsync("apply", "-f", "crd.yaml");
        Assert.Contains($"* {rules}[0].rule: Invalid value: apiextensions.ValidationRule{{Rule:\"self.nope > 1\", Message:\"\", MessageExpression:\"\", " +
            "Reason:(*apiextensions.FieldValueErrorReason)(nil), FieldPath:\"\", OptionalOldSelf:(*bool)(nil)}: " +
            "compilation failed: ERROR: <input>:1:5: undefined field 'nope'\n | self.nope > 1\n | ....^\n", result.Err);
        Assert.Contains($"* {rules}[1].rule: Invalid value: apiextensions.ValidationRule{{Rule:\"self.min +\"", result.Err);
        Assert.Contains("compilation failed: ERROR: <input>:1:11: Syntax error: unexpected end of expression\n | self.min +\n | ..........^\n", result.Err);
        Assert.Contains($"* {rules}[2].rule: Invalid value: apiextensions.ValidationRule{{Rule:\"self.min\"", result.Err);
        Assert.Contains("}: cel expression must evaluate to a bool\n", result.Err);
        Assert.Contains($"* {rules}[5].optionalOldSelf: Invalid value: true: may not be set if oldSelf is not used in rule\n", result.Err);
        Assert.Equal(1, (await k.RunAsync("get", "crd", "brokens.cel.example.com")).Code);
    }

    [Fact]
    public async Task SchemaDefaultsApplyOnWriteAndToStoredObjectsOnRead()
    {
        var k = await WithCrdAsync("defaults", "Default");
        await k.OkAsync("create", "-f", Object(k, "Default", "g-old", "{}"));
        Assert.Equal("0 10 fast", await k.OkAsync("get", "defaults.cel.example.com", "g-old", "-o", "jsonpath={.spec.min} {.spec.max} {.spec.mode}"));

        File.WriteAllText(Path.Combine(k.WorkDir, "crd.yaml"), Crd("defaults", "Default", extraProperties: "tier: {type: string, default: gold}"));
        await k.OkAsync("apply", "-f", "crd.yaml");
        await k.OkAsync("create", "-f", Object(k, "Default", "g-new", "{}"));

        Assert.Equal("gold", await k.OkAsync("get", "defaults.cel.example.com", "g-old", "-o", "jsonpath={.spec.tier}"));
        Assert.Equal("g-new=gold g-old=gold ", await k.OkAsync("get", "defaults.cel.example.com", "-o", "jsonpath={range .items[*]}{.metadata.name}={.spec.tier} {end}"));
    }
}
