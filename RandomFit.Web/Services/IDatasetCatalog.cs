using RandomFit.Training.Data;
using RandomFit.Web.Apis;

namespace RandomFit.Web.Services;

/// <summary>
/// Uploaded datasets as pages see them: the store that validation reads, plus their descriptions to pick from and
/// delete.
/// </summary>
public interface IDatasetCatalog : IDatasetStore
{
    /// <summary>Lists the datasets without their bytes, newest first.</summary>
    Task<IReadOnlyList<DatasetItem>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Parses and checks an upload, then stores it. Throws <see cref="DatasetFormatException"/> when a file is
    /// malformed; nothing is stored then.
    /// </summary>
    Task<DatasetItem> CreateAsync(DatasetUpload upload, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a dataset that no experiment uses. Returns whether it was deleted, was not found, or is used, with the
    /// experiments that use it, oldest first.
    /// </summary>
    Task<DatasetDeletion> DeleteAsync(string id, CancellationToken cancellationToken);
}
