using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Options;
using MudBlazor;
using RandomFit.Training.Data;
using RandomFit.Web.Apis;
using RandomFit.Web.Persistence;
using RandomFit.Web.Services;

namespace RandomFit.Web.Components.Pages.Experiments.New;

/// <summary>
/// Uploads a dataset from the form: one <c>.npz</c> file, or an IDX images file and its labels file. The files are
/// read up to the limit that <c>POST /api/datasets</c> applies and stored through the same catalog, so a malformed
/// file gets the API's message and stores nothing. <see cref="DataFields"/> renders it only for users who may start
/// runs, because <c>POST /api/datasets</c> requires the same.
/// </summary>
public partial class DatasetUploader(
    IDatasetCatalog datasets,
    IOptions<DatasetLimitsOptions> limits,
    ILogger<DatasetUploader> logger)
{
    private ChosenFile? _images;
    private ChosenFile? _labels;

    // Each upload shows its chosen file as a chip until it is cleared. A chip names only a file not yet stored:
    // one file of an IDX pair, or a pair the catalog rejected. The .npz upload clears after every attempt.
    private MudFileUpload<IBrowserFile>? _npzUpload;
    private MudFileUpload<IBrowserFile>? _imagesUpload;
    private MudFileUpload<IBrowserFile>? _labelsUpload;

    private string? _error;
    private bool _uploading;

    /// <summary>Raised with the stored dataset after an upload succeeds.</summary>
    [Parameter] public EventCallback<DatasetItem> OnUploaded { get; set; }

    private long MaxBytes => limits.Value.MaxDatasetBytes;

    /// <summary>
    /// The message naming the IDX file still missing while only one file of a pair has been chosen, else null.
    /// </summary>
    private string? PendingPairText => (_images, _labels) switch
    {
        ({ } images, null) => $"Images file {images.Name} chosen. Choose the labels (IDX) file to upload the pair.",
        (null, { } labels) => $"Labels file {labels.Name} chosen. Choose the images (IDX) file to upload the pair.",
        _ => null,
    };

    private async Task UploadNpzAsync(IBrowserFile? file)
    {
        if (file is null)
        {
            return;
        }

        if (await ReadAsync(file, MaxBytes, "data.npz") is { } npz)
        {
            await StoreAsync(new DatasetUpload(DatasetFormats.Npz, npz.Name, npz.Bytes, null, null));
        }

        await ClearAsync(_npzUpload);
    }

    // The limit covers both files of a pair together, as it does for the API. A null file is a chip removed by
    // the user, which drops that file from the pair.
    private async Task ChooseImagesAsync(IBrowserFile? file)
    {
        if (file is null)
        {
            _images = null;
            return;
        }

        _images = await ReadAsync(file, MaxBytes - (_labels?.Bytes.Length ?? 0), "images");
        if (_images is null)
        {
            await ClearAsync(_imagesUpload);
        }

        await StoreIdxPairAsync();
    }

    private async Task ChooseLabelsAsync(IBrowserFile? file)
    {
        if (file is null)
        {
            _labels = null;
            return;
        }

        _labels = await ReadAsync(file, MaxBytes - (_images?.Bytes.Length ?? 0), "labels");
        if (_labels is null)
        {
            await ClearAsync(_labelsUpload);
        }

        await StoreIdxPairAsync();
    }

    // A rejected pair keeps both files, so the user can replace the one the error names.
    private async Task StoreIdxPairAsync()
    {
        if (_images is null || _labels is null)
        {
            return;
        }

        var upload = new DatasetUpload(DatasetFormats.Idx, _images.Name, _images.Bytes, _labels.Name, _labels.Bytes);
        if (await StoreAsync(upload))
        {
            _images = null;
            _labels = null;
            await ClearAsync(_imagesUpload);
            await ClearAsync(_labelsUpload);
        }
    }

    // MudFileUpload.ClearAsync removes the chip and resets the upload's file inputs.
    private static async Task ClearAsync(MudFileUpload<IBrowserFile>? upload)
    {
        if (upload is not null)
        {
            await upload.ClearAsync();
        }
    }

    // Returns null and shows the reason when the file exceeds maxBytes or cannot be read.
    private async Task<ChosenFile?> ReadAsync(IBrowserFile file, long maxBytes, string fallbackName)
    {
        _error = null;
        if (file.Size > maxBytes)
        {
            LogTooLarge(logger, file.Name, MaxBytes);
            _error = DatasetsApi.TooLargeMessage(MaxBytes);
            return null;
        }

        _uploading = true;
        try
        {
            using var buffer = new MemoryStream();
            await using var stream = file.OpenReadStream(maxBytes);
            await stream.CopyToAsync(buffer);
            return new ChosenFile(DatasetUploadReader.NameOr(file.Name, fallbackName), buffer.ToArray());
        }
        catch (IOException exception)
        {
            LogReadFailed(logger, exception, file.Name);
            _error = $"{file.Name} could not be read: {exception.Message} Choose the file again.";
            return null;
        }
        finally
        {
            _uploading = false;
        }
    }

    private async Task<bool> StoreAsync(DatasetUpload upload)
    {
        _uploading = true;
        try
        {
            var created = await datasets.CreateAsync(upload, CancellationToken.None);
            await OnUploaded.InvokeAsync(created);
            return true;
        }
        catch (DatasetFormatException exception)
        {
            LogRejected(logger, exception.Message);
            _error = exception.Message;
            return false;
        }
        finally
        {
            _uploading = false;
        }
    }

    [LoggerMessage(LogLevel.Information, "Dataset upload from the form rejected: {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);

    [LoggerMessage(LogLevel.Information, "Dataset upload from the form rejected: {FileName} is larger than {MaxBytes} bytes")]
    private static partial void LogTooLarge(ILogger logger, string fileName, long maxBytes);

    [LoggerMessage(LogLevel.Warning, "Dataset file {FileName} could not be read from the browser")]
    private static partial void LogReadFailed(ILogger logger, Exception exception, string fileName);

    private sealed record ChosenFile(string Name, byte[] Bytes);
}
