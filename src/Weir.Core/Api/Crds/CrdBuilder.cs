using System.Text.Json.Nodes;
using Weir.Core.Api.Schema;

namespace Weir.Core.Api.Crds;

/// <summary>Writes an apiextensions.k8s.io/v1 CustomResourceDefinition from a <see cref="CrdDescriptor"/>.</summary>
public static class CrdBuilder
{
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
                ["additionalPrinterColumns"] = new JsonArray([.. d.Columns.Select(Column)]),
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

    private static JsonObject Column(PrinterColumn c)
    {
        var column = new JsonObject { ["name"] = c.Name, ["type"] = c.Type, ["jsonPath"] = c.JsonPath };
        if (c.Description is not null)
        {
            column["description"] = c.Description;
        }

        if (c.Priority > 0)
        {
            column["priority"] = c.Priority;
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
