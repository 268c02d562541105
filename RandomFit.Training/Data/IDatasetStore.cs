namespace RandomFit.Training.Data;

/// <summary>
/// Uploaded datasets by id. The host provides it (the web app keeps them in its database); validation and the trainer
/// only read. Both methods are synchronous because the spec validator and the training loop are.
/// </summary>
public interface IDatasetStore
{
    /// <summary>Returns the dataset's description, or null when no dataset has this id.</summary>
    DatasetInfo? Find(string id);

    /// <summary>Reads the dataset's arrays. Throws KeyNotFoundException when no dataset has this id.</summary>
    ArrayData Load(string id);
}
