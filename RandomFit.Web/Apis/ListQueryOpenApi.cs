using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using RandomFit.Training.Specs;

namespace RandomFit.Web.Apis;

/// <summary>
/// Describes the list endpoints' query parameters in the OpenAPI document. The handlers read them through
/// <see cref="ListQueryReader"/> rather than bound arguments, so the generator cannot see them.
/// </summary>
public static class ListQueryOpenApi
{
    private static readonly string[] Statuses = ["queued", "running", "completed", "failed", "cancelled", "interrupted"];

    /// <summary>Adds the filters, sort and paging of <c>GET /api/runs</c> and <c>GET /api/experiments</c>.</summary>
    public static RouteHandlerBuilder WithListQueryParameters(this RouteHandlerBuilder builder) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(Text("experiment", "Only runs of this experiment id."));
            operation.Parameters.Add(Text("model", "Only runs of this model name."));
            operation.Parameters.Add(Choice("status", "Only runs with this status.", Statuses));
            operation.Parameters.Add(Integer("seed", "Only runs of this seed.", minimum: 0, maximum: int.MaxValue));
            operation.Parameters.Add(Choice("preset", "Only experiments created from this preset id.", Presets.All.Select(preset => preset.Id)));
            operation.Parameters.Add(Choice("sort", "-createdAt (newest first, the default) or createdAt.", ["-createdAt", "createdAt"]));
            operation.Parameters.Add(Integer("page", "The page, from 1 (the default).", minimum: 1, maximum: int.MaxValue));
            operation.Parameters.Add(Integer(
                "pageSize",
                $"Items per page, default {ListQueryReader.DefaultPageSize}.",
                minimum: 1,
                maximum: ListQueryReader.MaxPageSize));
            return Task.CompletedTask;
        });

    private static OpenApiParameter Text(string name, string description) =>
        Query(name, description, new OpenApiSchema { Type = JsonSchemaType.String });

    private static OpenApiParameter Choice(string name, string description, IEnumerable<string> values) =>
        Query(name, description, new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Enum = [.. values.Select(value => (JsonNode)JsonValue.Create(value))],
        });

    private static OpenApiParameter Integer(string name, string description, int minimum, int maximum) =>
        Query(name, description, new OpenApiSchema
        {
            Type = JsonSchemaType.Integer,
            Format = "int32",
            Minimum = minimum.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Maximum = maximum.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    private static OpenApiParameter Query(string name, string description, OpenApiSchema schema) => new()
    {
        Name = name,
        In = ParameterLocation.Query,
        Description = description,
        Required = false,
        Schema = schema,
    };
}
