namespace RandomFit.Training.Data;

/// <summary>
/// Thrown when an uploaded dataset cannot be read or is inconsistent. The message names the file or array and the
/// fault, and is shown to users as it is.
/// </summary>
public sealed class DatasetFormatException(string message) : Exception(message);
