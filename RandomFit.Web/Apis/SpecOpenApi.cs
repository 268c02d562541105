using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace RandomFit.Web.Apis;

/// <summary>Schema fixes for request fields that the OpenAPI generator cannot describe by itself.</summary>
public static class SpecOpenApi
{
    private static readonly Type[] RequestTypes = [typeof(CreateExperimentRequest), typeof(AddSeedsRequest)];

    /// <summary>
    /// Marks each defaulted property of a request body that the generator describes as never null (an int, number,
    /// bool or enum, such as <c>classes</c> or <c>optimizer</c>) as also accepting null, because
    /// <see cref="StrictJsonBody"/> reads null as the property left out.
    /// </summary>
    /// <remarks>
    /// NOTE: responses that contain a spec use the same components, so the document also allows null there,
    /// although responses always write these fields as values.
    /// </remarks>
    public static OpenApiOptions DescribeNullAsDefault(this OpenApiOptions options) =>
        options.AddDocumentTransformer((document, _, _) =>
        {
            if (document.Components?.Schemas is { } schemas)
            {
                var visited = new HashSet<Type>();
                foreach (var type in RequestTypes)
                {
                    AllowNullOnValueProperties(type, schemas, visited);
                }
            }

            return Task.CompletedTask;
        });

    // Walks the request type and the types of its properties and list items, which the generator stores as
    // components named after the type.
    private static void AllowNullOnValueProperties(
        Type type,
        IDictionary<string, IOpenApiSchema> schemas,
        HashSet<Type> visited)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (JsonErrorText.ElementType(type) is { } itemType)
        {
            AllowNullOnValueProperties(itemType, schemas, visited);
            return;
        }

        if (!type.IsClass || type == typeof(string) || !visited.Add(type))
        {
            return;
        }

        var properties = schemas.TryGetValue(type.Name, out var schema) ? schema.Properties : null;
        foreach (var property in JsonErrorText.ReadableProperties(type))
        {
            var name = JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            var isNonNullableValue = property.PropertyType.IsValueType
                && Nullable.GetUnderlyingType(property.PropertyType) is null;
            if (isNonNullableValue && properties is not null && properties.TryGetValue(name, out var propertySchema))
            {
                properties[name] = AllowNull(propertySchema);
            }

            AllowNullOnValueProperties(property.PropertyType, schemas, visited);
        }
    }

    // An inline schema gets null added to its type. A reference, as to an enum's component, gets wrapped in oneOf
    // with null, the form the generator itself uses for a nullable enum.
    private static IOpenApiSchema AllowNull(IOpenApiSchema schema)
    {
        if (schema is OpenApiSchema { Type: { } type } inline)
        {
            inline.Type = type | JsonSchemaType.Null;
            return inline;
        }

        return new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, schema] };
    }
}
