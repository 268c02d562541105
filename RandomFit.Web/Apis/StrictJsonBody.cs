using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using RandomFit.Training.Specs;

namespace RandomFit.Web.Apis;

/// <summary>
/// Reads a request body with the contract's strict JSON settings and turns every reading error into a
/// path-keyed validation error, so malformed input answers 400 and never reaches a handler half-bound.
/// </summary>
public static class StrictJsonBody
{
    /// <summary>The outcome: a value, or errors keyed by path, or a body over the size limit.</summary>
    public sealed record Result<T>(T? Value, IDictionary<string, string[]>? Errors, bool TooLarge);

    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    public static async Task<Result<T>> ReadAsync<T>(HttpContext context, long maxBytes)
        where T : class
    {
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = maxBytes;
        }

        var body = await ReadLimitedAsync(context.Request, maxBytes, context.RequestAborted);
        if (body is null)
        {
            return new Result<T>(null, null, TooLarge: true);
        }

        // JSON allows a reader to ignore a UTF-8 byte order mark, which some editors and tools write.
        ReadOnlyMemory<byte> json = body;
        if (json.Span.StartsWith(Utf8ByteOrderMark))
        {
            json = json[Utf8ByteOrderMark.Length..];
        }

        // Checked first, because a message that quotes a value of the body cannot transcode invalid UTF-8.
        if (!System.Text.Unicode.Utf8.IsValid(json.Span))
        {
            return Invalid<T>("$", "The request body is not valid UTF-8; send JSON encoded as UTF-8.");
        }

        JsonDocument document;
        try
        {
            // A repeated property would otherwise let its last value win without notice.
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64, AllowDuplicateProperties = false });
        }
        catch (JsonException exception)
        {
            if (FindDuplicateProperties(json) is { Count: > 0 } duplicates)
            {
                return Invalid<T>(duplicates);
            }

            var message = json.Length == 0
                ? "The request body is empty; send a JSON object."
                : $"The request body is not valid JSON: {DescribeSyntaxError(json, exception)}";
            return Invalid<T>("$", message);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                var kind = JsonErrorText.Describe(document.RootElement);
                return Invalid<T>("$", $"The request body must be a JSON object; got {kind}.");
            }

            var typeErrors = JsonTypeCheck.FindErrors(typeof(T), document.RootElement, SpecJson.Options);
            if (typeErrors.Count > 0)
            {
                return Invalid<T>(typeErrors);
            }

            return Deserialize<T>(document.RootElement);
        }
    }

    // System.Text.Json's message (.NET 10) for a trailing comma ends "Change the reader options.", which is advice for
    // the server's code, and its message for a comment names only the character '/'. A body that only a trailing comma
    // or only a comment makes invalid gets a message that a client can act on.
    private static string DescribeSyntaxError(ReadOnlyMemory<byte> json, JsonException exception)
    {
        var position = $"LineNumber: {exception.LineNumber} | BytePositionInLine: {exception.BytePositionInLine}.";
        if (ParsesWith(json, new JsonDocumentOptions { MaxDepth = 64, AllowTrailingCommas = true }))
        {
            return $"a comma follows the last item of an object or array, which JSON does not allow, so remove it. {position}";
        }

        if (ParsesWith(json, new JsonDocumentOptions { MaxDepth = 64, CommentHandling = JsonCommentHandling.Skip }))
        {
            return $"a comment starts here, which JSON does not allow, so remove it. {position}";
        }

        return exception.Message;
    }

    private static bool ParsesWith(ReadOnlyMemory<byte> json, JsonDocumentOptions options)
    {
        try
        {
            using var document = JsonDocument.Parse(json, options);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // Reads a body that passed the type check. A property set to null is dropped first, so it reads as its
    // default exactly as when it is left out.
    private static Result<T> Deserialize<T>(JsonElement root)
        where T : class
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            JsonTypeCheck.WriteWithoutNullProperties(root, writer);
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.WrittenSpan, SpecJson.Options);
            return value is null
                ? Invalid<T>("$", "The request body must be a JSON object.")
                : new Result<T>(value, null, false);
        }
        catch (JsonException exception)
        {
            // The type check is built to reject everything deserialization does, and a test compares the two on
            // generated bodies. This catch is the fallback for a case they still disagree on.
            var (key, message) = JsonErrorText.Explain(typeof(T), root, exception);
            return Invalid<T>(key, message);
        }
    }

    // The parser's error for a repeated property names the property but not the object it is in, so a body that
    // fails only for repeats is parsed again with them allowed to find each repeat's path. Returns null when the
    // body fails that parse too, and an empty dictionary when it has no repeat.
    private static Dictionary<string, List<string>>? FindDuplicateProperties(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
            return JsonTypeCheck.FindDuplicateProperties(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<byte[]?> ReadLimitedAsync(
        HttpRequest request,
        long maxBytes,
        CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > maxBytes)
                {
                    return null;
                }
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }

        return buffer.ToArray();
    }

    private static Result<T> Invalid<T>(string key, string message) =>
        new(default, new Dictionary<string, string[]> { [key] = [message] }, false);

    private static Result<T> Invalid<T>(Dictionary<string, List<string>> errors) =>
        new(default, errors.ToDictionary(error => error.Key, error => error.Value.ToArray()), false);
}
