using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using RandomFit.Training.Specs;
using RandomFit.Web.Persistence;

namespace RandomFit.Web.Apis;

/// <summary>The files of a dataset upload.</summary>
/// <param name="Format"><see cref="DatasetFormats.Npz"/> or <see cref="DatasetFormats.Idx"/>.</param>
/// <param name="Name">The <c>.npz</c> or IDX images file name.</param>
/// <param name="Content">The <c>.npz</c> or IDX images file.</param>
/// <param name="LabelsName">The IDX labels file name; null for <c>.npz</c>.</param>
/// <param name="Labels">The IDX labels file; null for <c>.npz</c>.</param>
public sealed record DatasetUpload(string Format, string Name, byte[] Content, string? LabelsName, byte[]? Labels);

/// <summary>
/// Reads a <c>multipart/form-data</c> dataset upload: one <c>.npz</c> file in the form field <c>file</c>, or two IDX
/// files in the form fields <c>images</c> and <c>labels</c>. Parts under any other field name are rejected. The files
/// are buffered in memory up to the upload limit.
/// </summary>
public static partial class DatasetUploadReader
{
    /// <summary>The expected request, for error messages.</summary>
    public const string Expected =
        "Send multipart/form-data with one .npz file in a form field named file, or two IDX files in form fields named "
        + "images and labels.";

    /// <summary>The message for a body that ends before the whole form arrived, such as an interrupted upload.</summary>
    public const string Incomplete =
        "The upload was incomplete: the request body ended before the whole form arrived. Send the file again.";

    /// <summary>The form field names an upload may use.</summary>
    public static readonly IReadOnlyList<string> FieldNames = ["file", "images", "labels"];

    // Multipart boundaries and part headers add a little to the files' own bytes.
    private const long FramingBytes = 64 * 1024;

    /// <summary>
    /// The outcome: an upload, or error messages keyed by form field (<c>file</c> for the upload as a whole), or a body
    /// over the limit.
    /// </summary>
    public sealed record Result(DatasetUpload? Upload, IReadOnlyDictionary<string, string[]>? Errors, bool TooLarge)
    {
        public static Result Invalid(string message) =>
            new(null, new Dictionary<string, string[]> { ["file"] = [message] }, TooLarge: false);
    }

    /// <summary>
    /// Reads the form of <paramref name="request"/>, buffering at most <paramref name="maxBytes"/> of files. Logs why a
    /// body could not be read to <paramref name="logger"/>, because the returned message leaves the cause out.
    /// </summary>
    public static async Task<Result> ReadAsync(
        HttpRequest request,
        long maxBytes,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = maxBytes + FramingBytes;
        }

        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return Result.Invalid($"{Expected} Got Content-Type {EchoedText.Quote(request.ContentType ?? "")}.");
        }

        // A header written by hand often names the type without the boundary that separates the parts.
        if (HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return Result.Invalid(
                $"{Expected} The Content-Type {EchoedText.Quote(request.ContentType!)} has no boundary parameter, "
                + "so the form's parts cannot be found. Let the HTTP client build the form and its header, as curl -F does.");
        }

        var files = new List<(string Field, string FileName, byte[] Bytes)>();
        var unknownFields = new List<string>();
        long total = 0;
        try
        {
            var reader = new MultipartReader(boundary, request.Body);
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                {
                    continue;
                }

                var field = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
                if (!FieldNames.Contains(field))
                {
                    // Recorded without reading the part, which the reader skips when it moves to the next one.
                    unknownFields.Add(field);
                    continue;
                }

                if (!disposition.IsFileDisposition())
                {
                    continue;
                }

                var bytes = await ReadLimitedAsync(section.Body, maxBytes - total, cancellationToken);
                if (bytes is null)
                {
                    return new Result(null, null, TooLarge: true);
                }

                total += bytes.Length;
                var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue
                    ? disposition.FileNameStar
                    : disposition.FileName).Value ?? "";
                files.Add((field, Path.GetFileName(fileName), bytes));
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new Result(null, null, TooLarge: true);
        }
        catch (IOException exception)
        {
            // The exception's message is ASP.NET's wording (for a cut body, that the content may have been read by
            // another component), so the client gets a plain message and the log keeps the cause.
            LogIncomplete(logger, request.Path, exception.Message);
            return Result.Invalid(Incomplete);
        }

        if (unknownFields.Count > 0)
        {
            return UnknownFields(unknownFields);
        }

        return Classify(files);
    }

    private static Result Classify(List<(string Field, string FileName, byte[] Bytes)> files)
    {
        var images = files.Where(f => f.Field == "images").ToList();
        var labels = files.Where(f => f.Field == "labels").ToList();
        if (files.Count == 2 && images.Count == 1 && labels.Count == 1)
        {
            var upload = new DatasetUpload(
                DatasetFormats.Idx,
                NameOr(images[0].FileName, "images"),
                images[0].Bytes,
                NameOr(labels[0].FileName, "labels"),
                labels[0].Bytes);
            return new Result(upload, null, TooLarge: false);
        }

        if (files.Count == 1 && images.Count == 0 && labels.Count == 0)
        {
            var upload = new DatasetUpload(DatasetFormats.Npz, NameOr(files[0].FileName, "data.npz"), files[0].Bytes, null, null);
            return new Result(upload, null, TooLarge: false);
        }

        // One IDX file alone: the error sits under the missing field, as a JSON body's missing property does.
        if (files.Count == 1 && images.Count + labels.Count == 1)
        {
            var (missing, sent) = images.Count == 1 ? ("labels", images[0]) : ("images", labels[0]);
            var sentName = sent.FileName.Length == 0 ? "a file without a name" : EchoedText.Format(sent.FileName);
            return new Result(
                null,
                new Dictionary<string, string[]>
                {
                    [missing] = [
                        $"The {missing} file is missing. An IDX upload sends images and labels together, and only "
                        + $"{sentName} arrived, in field {sent.Field}.",
                    ],
                },
                TooLarge: false);
        }

        var got = files.Count == 0
            ? "no files"
            : string.Join(", ", files.Select(f => $"{EchoedText.Format(f.FileName)} in field {f.Field}"));
        return Result.Invalid($"{Expected} Got {got}.");
    }

    // Keyed by the field name, as a JSON body's errors are keyed by the path of the offending property.
    private static Result UnknownFields(List<string> fields)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var field in fields.Distinct())
        {
            var key = field.Length == 0 ? "$" : EchoedText.Shorten(field);
            var named = field.Length == 0 ? "A form field without a name" : $"Unknown form field {EchoedText.Quote(field)}";
            errors[key] = [$"{named}: use file for a .npz file, or images and labels for IDX files."];
        }

        return new Result(null, errors, TooLarge: false);
    }

    // The database keeps at most 255 characters of a file name.
    internal static string NameOr(string fileName, string fallback) =>
        fileName.Length == 0 ? fallback : fileName[..Math.Min(fileName.Length, 255)];

    [LoggerMessage(LogLevel.Information, "Dataset upload incomplete on {Path}: {Reason}")]
    private static partial void LogIncomplete(ILogger logger, string path, string reason);

    // Returns null as soon as the part passes maxBytes, before buffering the rest.
    private static async Task<byte[]?> ReadLimitedAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
