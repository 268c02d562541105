using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using RandomFit.Training.Data;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;

namespace RandomFit.Web.Services;

/// <summary>Stores uploaded datasets in the database and reads them back for validation and training.</summary>
public sealed partial class DatasetStore(
    IDbContextFactory<RandomFitDbContext> dbFactory,
    IOptions<DatasetLimitsOptions> limits,
    ILogger<DatasetStore> logger) : IDatasetCatalog
{
    /// <summary>
    /// Parses and checks an upload, then stores it. Throws <see cref="DatasetFormatException"/> when a file is
    /// malformed; nothing is stored then.
    /// </summary>
    public async Task<DatasetItem> CreateAsync(DatasetUpload upload, CancellationToken cancellationToken)
    {
        // Parsing a large file can take seconds of processor time, so it runs on the thread pool: a page's upload
        // otherwise blocks its circuit's dispatcher, and the page stops responding until it ends.
        var arrays = await Task.Run(
            () => Parse(upload.Format, upload.Content, upload.Name, upload.Labels, upload.LabelsName),
            cancellationToken);
        var entity = new DatasetEntity
        {
            Id = IdGenerator.NewId(),
            Name = upload.Name,
            LabelsName = upload.LabelsName,
            Format = upload.Format,
            InputShape = string.Join(",", arrays.Inputs.Shape),
            TestSamples = arrays.TestInputs is null ? 0 : (int)arrays.TestInputs.Shape[0],
            Classes = arrays.Describe("").Classes,
            SizeBytes = upload.Content.Length + (upload.Labels?.Length ?? 0),
            CreatedAt = DateTimeOffset.UtcNow,
            Content = upload.Content,
            Labels = upload.Labels,
        };

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Datasets.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        var item = ToItem(Describe(entity));
        LogStored(logger, item.Id, item.Name, entity.InputShape, item.SizeBytes);
        return item;
    }

    /// <summary>Lists the datasets without their bytes, newest first.</summary>
    public async Task<IReadOnlyList<DatasetItem>> ListAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Datasets
            .Select(d => new DatasetRow(d.Id, d.Name, d.LabelsName, d.InputShape, d.TestSamples, d.Classes, d.SizeBytes, d.CreatedAt))
            .ToListAsync(cancellationToken);

        // SQLite cannot order by DateTimeOffset, so the (few) rows are sorted here.
        return rows
            .OrderByDescending(d => d.CreatedAt)
            .Select(ToItem)
            .ToList();
    }

    /// <summary>Returns one dataset without its bytes, or null for an unknown id.</summary>
    public async Task<DatasetItem?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await db.Datasets
            .Where(d => d.Id == id)
            .Select(d => new DatasetRow(d.Id, d.Name, d.LabelsName, d.InputShape, d.TestSamples, d.Classes, d.SizeBytes, d.CreatedAt))
            .FirstOrDefaultAsync(cancellationToken);
        return row is null ? null : ToItem(row);
    }

    /// <summary>
    /// Deletes a dataset that no experiment uses. Returns whether it was deleted, was not found, or is used, with the
    /// experiments that use it, oldest first.
    /// </summary>
    public async Task<DatasetDeletion> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var name = await db.Datasets.Where(d => d.Id == id).Select(d => d.Name).FirstOrDefaultAsync(cancellationToken);
        if (name is null)
        {
            return DatasetDeletion.NotFound;
        }

        // The id is looked for in the stored JSON first, so only the specs that name it are parsed.
        var candidates = await db.Experiments
            .Where(e => e.SpecJson.Contains(id))
            .OrderBy(e => e.Sequence)
            .Select(e => new { e.Id, e.Name, e.SpecJson })
            .ToListAsync(cancellationToken);
        var users = candidates
            .Where(e => UsesDataset(JsonSerializer.Deserialize<ExperimentSpec>(e.SpecJson, SpecJson.Options)!, id))
            .Select(e => new DatasetUser(e.Id, e.Name))
            .ToList();
        if (users.Count > 0)
        {
            LogInUse(logger, id, users.Count);
            return new DatasetDeletion(DatasetDeletionOutcome.InUse, users);
        }

        // A concurrent delete may have removed the row since it was read.
        if (await db.Datasets.Where(d => d.Id == id).ExecuteDeleteAsync(cancellationToken) == 0)
        {
            return DatasetDeletion.NotFound;
        }

        LogDeleted(logger, id, name);
        return DatasetDeletion.Deleted;
    }

    /// <inheritdoc/>
    public DatasetInfo? Find(string id)
    {
        using var db = dbFactory.CreateDbContext();
        var row = db.Datasets
            .Where(d => d.Id == id)
            .Select(d => new { d.InputShape, d.TestSamples, d.Classes })
            .FirstOrDefault();
        return row is null ? null : new DatasetInfo(id, ParseShape(row.InputShape), row.TestSamples, row.Classes);
    }

    /// <inheritdoc/>
    public ArrayData Load(string id)
    {
        using var db = dbFactory.CreateDbContext();
        var entity = db.Datasets.AsNoTracking().FirstOrDefault(d => d.Id == id)
            ?? throw new KeyNotFoundException($"Dataset \"{id}\" was not found.");
        return Parse(entity.Format, entity.Content, entity.Name, entity.Labels, entity.LabelsName);
    }

    private ArrayData Parse(string format, byte[] content, string name, byte[]? labels, string? labelsName)
    {
        var maxBytes = limits.Value.MaxDatasetBytes;
        if (format == DatasetFormats.Idx)
        {
            return IdxReader.Read(
                new MemoryStream(content),
                name,
                new MemoryStream(labels ?? []),
                labelsName ?? "labels",
                maxBytes);
        }

        return NpzReader.Read(new MemoryStream(content), name, maxBytes);
    }

    // Whether the spec's data or one of its conditions names the dataset. The data counts even when every condition
    // replaces its inputs, because the spec is validated again when it is sent back to create a copy.
    private static bool UsesDataset(ExperimentSpec spec, string id) =>
        spec.Data is { } data
        && new[] { (string?)null }.Concat(data.Conditions?.Select(c => c.Name) ?? [])
            .Select(spec.TryResolveData)
            .Any(resolved => resolved is { Inputs: InputKind.File } && resolved.File == id);

    private static long[] ParseShape(string shape) =>
        shape.Split(',').Select(d => long.Parse(d, CultureInfo.InvariantCulture)).ToArray();

    private static DatasetRow Describe(DatasetEntity d) =>
        new(d.Id, d.Name, d.LabelsName, d.InputShape, d.TestSamples, d.Classes, d.SizeBytes, d.CreatedAt);

    private static DatasetItem ToItem(DatasetRow row)
    {
        var info = new DatasetInfo(row.Id, ParseShape(row.InputShape), row.TestSamples, row.Classes);
        var name = row.LabelsName is null ? row.Name : $"{row.Name} + {row.LabelsName}";
        return new DatasetItem(
            row.Id,
            name,
            info.Samples,
            row.TestSamples,
            info.SampleShape,
            info.InputShape,
            row.Classes,
            row.SizeBytes,
            row.CreatedAt);
    }

    [LoggerMessage(LogLevel.Information, "Dataset {DatasetId} stored: {Name}, x shape [{InputShape}], {SizeBytes} bytes")]
    private static partial void LogStored(ILogger logger, string datasetId, string name, string inputShape, long sizeBytes);

    [LoggerMessage(LogLevel.Information, "Dataset {DatasetId} deleted: {Name}")]
    private static partial void LogDeleted(ILogger logger, string datasetId, string name);

    [LoggerMessage(LogLevel.Information, "Dataset {DatasetId} not deleted: {Count} experiments use it")]
    private static partial void LogInUse(ILogger logger, string datasetId, int count);

    // A dataset's columns without its bytes.
    private sealed record DatasetRow(
        string Id,
        string Name,
        string? LabelsName,
        string InputShape,
        int TestSamples,
        int Classes,
        long SizeBytes,
        DateTimeOffset CreatedAt);
}

/// <summary>How a dataset delete ended.</summary>
public enum DatasetDeletionOutcome
{
    Deleted,
    NotFound,
    InUse,
}

/// <summary>An experiment that trains on a dataset, by id and name.</summary>
public sealed record DatasetUser(string Id, string Name);

/// <summary>The outcome of a dataset delete, with the experiments that use the dataset when it is in use.</summary>
public sealed record DatasetDeletion(DatasetDeletionOutcome Outcome, IReadOnlyList<DatasetUser> Users)
{
    public static readonly DatasetDeletion Deleted = new(DatasetDeletionOutcome.Deleted, []);

    public static readonly DatasetDeletion NotFound = new(DatasetDeletionOutcome.NotFound, []);
}
