using RandomFit.Training.Data;
using RandomFit.Web.Apis;
using RandomFit.Web.Services;

namespace RandomFit.Tests.Components;

/// <summary>Dataset descriptions without arrays, for pages that list uploads and validate file inputs.</summary>
public sealed class InMemoryDatasetCatalog : IDatasetCatalog
{
    public List<DatasetItem> Items { get; } = [];

    public Task<IReadOnlyList<DatasetItem>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DatasetItem>>(Items.ToList());

    public DatasetInfo? Find(string id) =>
        Items.FirstOrDefault(item => item.Id == id) is { } item
            ? new DatasetInfo(item.Id, item.InputShape, item.TestSamples, item.Classes)
            : null;

    // Upload tests use the real DatasetStore, which parses the files.
    public Task<DatasetItem> CreateAsync(DatasetUpload upload, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The in-memory catalog parses no files.");

    // Delete tests use the real DatasetStore, which checks the experiments that use a dataset.
    public Task<DatasetDeletion> DeleteAsync(string id, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The in-memory catalog stores no experiments to check.");

    // Pages only validate, so no test reads arrays from this catalog.
    public ArrayData Load(string id) => throw new NotSupportedException("The in-memory catalog stores no arrays.");
}
