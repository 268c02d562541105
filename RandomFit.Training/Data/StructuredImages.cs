using static TorchSharp.torch;

namespace RandomFit.Training.Data;

/// <summary>
/// A control dataset with spatial structure: each class owns a small random template, and every image is Gaussian
/// noise with <see cref="CopiesFor"/> non-overlapping copies of its class's template added at random positions. A convolution with pooling detects the template wherever it sits, while an MLP has to learn it
/// separately at each position, so a small CNN generalizes where an MLP of similar size does not. Several copies
/// put the template in most regions of a large image, so a CNN that flattens its last feature map (no global
/// pooling) still finds evidence of the class wherever its dense weights look. Every class's template is a random
/// arrangement of one set of pixels shared by all classes. Each channel of that set is half +1 and half -1, centred
/// to mean 0.
/// </summary>
internal sealed class StructuredImages : IDisposable
{
    /// <summary>Largest template side; images smaller than this get a template as large as the image.</summary>
    public const int MaxPatchSide = 5;

    /// <summary>Standard deviation of the background noise; template values have magnitude about 1.</summary>
    public const double NoiseStd = 0.5;

    /// <summary>Image area per template copy, in template areas, so that copies cover about a quarter of the image.</summary>
    public const int AreaPerCopy = 4;

    // Images are placed in chunks so the one-hot position maps stay small for large datasets.
    private const long ChunkSize = 1024;

    private readonly Tensor _templates;
    private readonly int _classes;
    private readonly int _channels;
    private readonly int _height;
    private readonly int _width;
    private readonly int _copies;

    /// <summary>Draws one template per class from <paramref name="generator"/>.</summary>
    public StructuredImages(int classes, int channels, int height, int width, Generator generator)
    {
        _classes = classes;
        _channels = channels;
        _height = height;
        _width = width;
        var patchHeight = Math.Min(MaxPatchSide, height);
        var patchWidth = Math.Min(MaxPatchSide, width);
        _copies = CopiesFor(height, width);

        using var scope = NewDisposeScope();
        var cells = patchHeight * patchWidth;
        if (cells == 1)
        {
            // A 1x1 image has room for no pattern, so each class gets a random sign per channel.
            _templates = randint(0, 2, [classes, channels, 1, 1], dtype: ScalarType.Float32, generator: generator)
                .mul(2).sub(1).MoveToOuterDisposeScope();
            return;
        }

        // Every class uses the same set of pixels (one value per channel each) and differs only in where they sit.
        // A pixel permutation moves all channels of a pixel together, so neither mean colour nor the multiset of an
        // image's pixels carries the class, and the random-pixels condition leaves nothing of it to learn.
        var positives = (cells + 1) / 2;
        var values = cat([ones(positives), ones(cells - positives).neg()]);
        values = values.sub(values.mean());
        var pixels = values.index([rand([channels, cells], generator: generator).argsort(-1)]);
        var arrangement = rand([classes, cells], generator: generator).argsort(-1);
        _templates = pixels.index_select(1, arrangement.flatten())
            .reshape(channels, classes, cells)
            .transpose(0, 1)
            .reshape(classes, channels, patchHeight, patchWidth)
            .MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Returns how many template copies an image of the given size carries: one per <see cref="AreaPerCopy"/>
    /// template areas, at least one (10 on 32x32, 2 on 16x16, 1 on 14x14 and smaller). An image with fewer free
    /// cells than that (see <c>Corners</c>) carries one copy per cell.
    /// </summary>
    public static int CopiesFor(int height, int width)
    {
        long patchArea = (long)Math.Min(MaxPatchSide, height) * Math.Min(MaxPatchSide, width);
        return (int)Math.Max(1, (long)height * width / (AreaPerCopy * patchArea));
    }

    /// <summary>Draws <paramref name="count"/> images and the classes whose templates they carry.</summary>
    public (Tensor Images, Tensor Classes) Draw(long count, Generator generator)
    {
        using var scope = NewDisposeScope();
        var (signal, classes) = DrawSignal(count, generator);
        var noise = randn([count, _channels, _height, _width], dtype: ScalarType.Float32, generator: generator)
            .mul(NoiseStd);
        return (noise.add_(signal).MoveToOuterDisposeScope(), classes.MoveToOuterDisposeScope());
    }

    /// <summary>Draws the classes and the noise-free images: the template copies on a zero background.</summary>
    internal (Tensor Signal, Tensor Classes) DrawSignal(long count, Generator generator)
    {
        using var scope = NewDisposeScope();
        var classes = randint(0, _classes, [count], dtype: ScalarType.Int64, generator: generator);
        var rowsFree = _height - _templates.shape[2] + 1;
        var columnsFree = _width - _templates.shape[3] + 1;
        var (rows, columns) = Corners(count, generator);

        var chunks = new List<Tensor>();
        for (long start = 0; start < count; start += ChunkSize)
        {
            var length = Math.Min(ChunkSize, count - start);
            chunks.Add(Place(
                classes.narrow(0, start, length),
                rows.narrow(0, start, length),
                columns.narrow(0, start, length),
                rowsFree,
                columnsFree));
        }

        return (cat(chunks, 0).MoveToOuterDisposeScope(), classes.MoveToOuterDisposeScope());
    }

    // Copies never overlap, so every image carries the same multiset of template values whatever its class, and a
    // per-image pixel permutation (the random-pixels condition) leaves nothing of the class to learn. The image is
    // cut into cells one pixel larger than the template on each axis. Each copy takes its own cell, drawn without
    // replacement, sits at a random offset of up to one pixel inside it, and the whole grid shifts by a random
    // amount within the pixels the grid leaves over.
    private (Tensor Rows, Tensor Columns) Corners(long count, Generator generator)
    {
        var patchHeight = _templates.shape[2];
        var patchWidth = _templates.shape[3];
        var cellHeight = Math.Min(patchHeight + 1, _height);
        var cellWidth = Math.Min(patchWidth + 1, _width);
        var gridRows = _height / cellHeight;
        var gridColumns = _width / cellWidth;
        var copies = Math.Min(_copies, gridRows * gridColumns);

        var cells = rand([count, gridRows * gridColumns], generator: generator).argsort(-1).narrow(1, 0, copies);
        var rowJitter = randint(0, cellHeight - patchHeight + 1, [count, copies], dtype: ScalarType.Int64, generator: generator);
        var columnJitter = randint(0, cellWidth - patchWidth + 1, [count, copies], dtype: ScalarType.Int64, generator: generator);
        var rowShift = randint(0, _height - (gridRows * cellHeight) + 1, [count, 1], dtype: ScalarType.Int64, generator: generator);
        var columnShift = randint(0, _width - (gridColumns * cellWidth) + 1, [count, 1], dtype: ScalarType.Int64, generator: generator);

        var rows = cells.div(gridColumns, rounding_mode: RoundingMode.floor).mul(cellHeight).add(rowJitter).add(rowShift);
        var columns = cells.remainder(gridColumns).mul(cellWidth).add(columnJitter).add(columnShift);
        return (rows, columns);
    }

    // A transposed convolution of a one-hot map (class channel, top-left corner) with the templates as weights
    // writes each image's template at each of its corners and leaves zeros elsewhere.
    private Tensor Place(Tensor classes, Tensor rows, Tensor columns, long rowsFree, long columnsFree)
    {
        var length = classes.shape[0];
        var corners = zeros([length, _classes, rowsFree, columnsFree], dtype: ScalarType.Float32);
        var copies = rows.shape[1];
        var sample = arange(length, dtype: ScalarType.Int64).unsqueeze(1).expand(length, copies).reshape(-1);
        var copyClasses = classes.unsqueeze(1).expand(length, copies).reshape(-1);
        corners.index_put_(ones(length * copies, dtype: ScalarType.Float32), sample, copyClasses, rows.reshape(-1), columns.reshape(-1));
        return nn.functional.conv_transpose2d(corners, _templates);
    }

    /// <inheritdoc/>
    public void Dispose() => _templates.Dispose();
}
