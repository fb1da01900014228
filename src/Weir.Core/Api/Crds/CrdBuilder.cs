using System.Text.Json.Nodes;
using Weir.Core.Api.Schema;

namespace Weir.Core.Api.Crds;

/// <summary>Writes an apiextensions.k8s.io/v1 CustomResourceDefinition from a <see cref="CrdDescriptor"/>.</summary>
public static class CrdBuilder
{
    private const string ReadyPath = ".status.conditions[?(@.type==\"Ready\")]";

    public static JsonObject Build(CrdDescriptor d) => new()
    {
        ["apiVersion"] = "apiextensions.k8s.io/v1",
        ["kind"] = "CustomResourceDefinition",
        ["metadata"] = new JsonObject
        {
            ["name"] = d.Name,
            ["labels"] = new JsonObject { ["app.kubernetes.io/part-of"] = "weir" },
            // Keeps Flux-style post-build substitution from rewriting ${...} inside the schemas.
            ["annotations"] = new JsonObject { ["kustomize.toolkit.fluxcd.io/substitute"] = "disabled" },
        },
        ["spec"] = new JsonObject
        {
            ["group"] = d.Group,
            ["names"] = Names(d),
            ["scope"] = "Namespaced",
            ["versions"] = new JsonArray(new JsonObject
            {
                ["name"] = d.Version,
                ["served"] = true,
                ["storage"] = true,
                ["schema"] = new JsonObject { ["openAPIV3Schema"] = RootSchema(d) },
                ["subresources"] = d.Status is null ? new JsonObject() : new JsonObject { ["status"] = new JsonObject() },
                ["additionalPrinterColumns"] = Columns(d),
            }),
        },
    };

    private static JsonObject Names(CrdDescriptor d)
    {
        var names = new JsonObject
        {
            ["kind"] = d.Kind,
            ["listKind"] = d.Kind + "List",
            ["plural"] = d.Plural,
            ["singular"] = d.Singular,
        };
        if (d.ShortNames.Count > 0)
        {
            names["shortNames"] = new JsonArray([.. d.ShortNames.Select(s => JsonValue.Create(s))]);
        }

        names["categories"] = new JsonArray([.. d.Categories.Select(c => JsonValue.Create(c))]);
        return names;
    }

    /// <summary>
    /// Ready, Status and Age as the seeds' <c>kubectl get</c> shows them (only Age for a kind without status);
    /// kind-specific extras only in wide output.
    /// </summary>
    private static JsonArray Columns(CrdDescriptor d)
    {
        var columns = new JsonArray();
        if (d.Status is not null)
        {
            columns.Add(Column("Ready", "string", ReadyPath + ".status", "Status of the Ready condition."));
            columns.Add(Column("Status", "string", ReadyPath + ".message", "Message of the Ready condition."));
        }

        columns.Add(Column("Age", "date", ".metadata.creationTimestamp", "Time since creation."));
        foreach (var wide in d.WideColumns)
        {
            var column = Column(wide.Name, "string", wide.JsonPath, null);
            column["priority"] = 1;
            columns.Add(column);
        }

        return columns;
    }

    private static JsonObject Column(string name, string type, string path, string? description)
    {
        var column = new JsonObject { ["name"] = name, ["type"] = type, ["jsonPath"] = path };
        if (description is not null)
        {
            column["description"] = description;
        }

        return column;
    }

    private static JsonObject RootSchema(CrdDescriptor d)
    {
        var properties = new JsonObject
        {
            ["apiVersion"] = new JsonObject
            {
                ["description"] = "Versioned schema of this object, e.g. " + d.ApiVersion + ".",
                ["type"] = "string",
            },
            ["kind"] = new JsonObject { ["description"] = "Kind of this object: " + d.Kind + ".", ["type"] = "string" },
            ["metadata"] = new JsonObject { ["type"] = "object" },
            ["spec"] = ApiSchemaGenerator.For(d.Spec),
        };
        if (d.Status is not null)
        {
            var status = ApiSchemaGenerator.For(d.Status);
            if (d.DefaultStatus)
            {
                status["default"] = new JsonObject { ["observedGeneration"] = -1 };
            }

            properties["status"] = status;
        }

        return new JsonObject
        {
            ["description"] = $"{d.Kind}: {d.Description}",
            ["type"] = "object",
            ["properties"] = properties,
        };
    }
}
