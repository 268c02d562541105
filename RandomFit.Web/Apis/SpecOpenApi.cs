using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using RandomFit.Training.Specs;

namespace RandomFit.Web.Apis;

/// <summary>Schema fixes for spec fields that the OpenAPI generator cannot describe by itself.</summary>
public static class SpecOpenApi
{
    /// <summary>
    /// Describes a field read by <see cref="NullAsZeroConverter"/> as an integer or null. The generator of
    /// Microsoft.AspNetCore.OpenApi 10.0 leaves out the type of a property with a custom converter, because it cannot
    /// tell what the converter reads.
    /// </summary>
    public static OpenApiOptions DescribeNullAsZeroFields(this OpenApiOptions options) =>
        options.AddSchemaTransformer((schema, context, _) =>
        {
            if (context.JsonPropertyInfo?.CustomConverter is NullAsZeroConverter)
            {
                schema.Type = JsonSchemaType.Integer | JsonSchemaType.Null;
            }

            return Task.CompletedTask;
        });
}
