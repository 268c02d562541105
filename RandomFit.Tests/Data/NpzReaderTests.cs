using RandomFit.Training.Data;
using static RandomFit.Tests.Data.DatasetFiles;

namespace RandomFit.Tests.Data;

public sealed class NpzReaderTests
{
    private const long Limit = 1 << 26;

    private static ArrayData Read(byte[] npz) => NpzReader.Read(new MemoryStream(npz), "data.npz", Limit);

    private static string ReadError(byte[] npz) => Assert.Throws<DatasetFormatException>(() => Read(npz)).Message;

    private static float[] Floats(int count) => Enumerable.Range(0, count).Select(i => i * 0.5f).ToArray();

    [Fact]
    public void Read_Float32WithTestSplit_RoundTrips()
    {
        var npz = Npz(
            compressed: true,
            ("x", Npy(Floats(16), 4, 1, 2, 2)),
            ("y", Npy(new long[] { 0, 1, 2, 1 })),
            ("x_test", Npy(Floats(8), 2, 1, 2, 2)),
            ("y_test", Npy(new[] { 1, 0 })));

        var data = Read(npz);

        Assert.Equal([4L, 1, 2, 2], data.Inputs.Shape);
        Assert.Equal(Floats(16), data.Inputs.Values);
        Assert.Equal([0L, 1, 2, 1], data.Labels.Values);
        Assert.Equal([1L, 0], data.TestLabels!.Values);
    }

    [Fact]
    public void Describe_WithTestSplit_CountsSamplesAndClasses()
    {
        var npz = Npz(
            ("x", Npy(Floats(12), 4, 3)),
            ("y", Npy(new long[] { 0, 1, 2, 1 })),
            ("x_test", Npy(Floats(6), 2, 3)),
            ("y_test", Npy(new long[] { 4, 0 })));

        var info = Read(npz).Describe("d");

        Assert.Equal(4, info.Samples);
        Assert.Equal(2, info.TestSamples);
        Assert.Equal(5, info.Classes);
        Assert.Equal((1, 1, 3), (info.SampleShape.Channels, info.SampleShape.Height, info.SampleShape.Width));
    }

    [Fact]
    public void Read_Uint8Inputs_ScalesToUnitRange()
    {
        var npz = Npz(("x", Npy(new byte[] { 0, 51, 255, 0 }, 2, 2)), ("y", Npy(new byte[] { 1, 0 }, 2)));

        var data = Read(npz);

        Assert.Equal([0f, 0.2f, 1f, 0f], data.Inputs.Values);
        Assert.Equal([1L, 0], data.Labels.Values);
    }

    [Fact]
    public void Read_Float64Inputs_ConvertsToFloat32()
    {
        var npz = Npz(("x", Npy(new[] { 0.25, -1.5, 3.0 }, 3, 1)), ("y", Npy(new long[] { 0, 1, 0 })));

        var data = Read(npz);

        Assert.Equal([0.25f, -1.5f, 3f], data.Inputs.Values);
        Assert.Equal([3L, 1], data.Inputs.Shape);
    }

    [Theory]
    [InlineData(1e300, "1E+300")]
    [InlineData(-4e38, "-4E+38")]
    public void Read_Float64BeyondFloat32Range_NamesValue(double value, string written)
    {
        var npz = Npz(("x", Npy(new[] { 0.5, value, 1.0 }, 3, 1)), ("y", Npy(new long[3])));

        Assert.Equal(
            $"x contains {written} at flat index 1, which is finite but outside float32's range "
            + "(-3.4028235E+38 to 3.4028235E+38). Inputs are converted to float32, so scale x into that range "
            + "and upload again.",
            ReadError(npz));
    }

    [Fact]
    public void Read_Float64NearFloat32Limits_IsAccepted()
    {
        var npz = Npz(("x", Npy(new[] { 3.4e38, -3.4e38, 1e-300 }, 3, 1)), ("y", Npy(new long[3])));

        var data = Read(npz);

        Assert.Equal([3.4e38f, -3.4e38f, 0f], data.Inputs.Values);
    }

    [Fact]
    public void Read_TruncatedArray_NamesDeclaredAndFollowingBytes()
    {
        var npz = Npz(("x", Npy("<f4", [100, 3, 100, 100], new byte[4096])), ("y", Npy(new long[100])));

        Assert.Equal(
            "x.npy in data.npz is truncated: the header declares 100x3x100x100 float32 (12,000,000 bytes) "
            + "but 4,096 bytes follow.",
            ReadError(npz));
    }

    [Fact]
    public void Read_ShapeProductBeyondDecimal_IsTruncated()
    {
        long[] shape = [9_000_000_000_000_000_000, 9_000_000_000_000_000_000];
        var npz = Npz(("x", Npy("<f4", shape, new byte[8])), ("y", Npy(new long[2])));

        Assert.Equal(
            "x.npy in data.npz is truncated: the header declares 9000000000000000000x9000000000000000000 float32 "
            + "(324,000,000,000,000,000,000,000,000,000,000,000,000 bytes) but 8 bytes follow.",
            ReadError(npz));
    }

    [Fact]
    public void Read_UnknownDtypeWithHugeShape_NamesDtype()
    {
        long[] shape = [9_000_000_000_000_000_000, 9_000_000_000_000_000_000];
        var npz = Npz(("x", Npy("<U5", shape, new byte[8])), ("y", Npy(new long[2])));

        Assert.Equal(
            "x.npy in data.npz has dtype '<U5'; x must be float32 ('<f4'), float64 ('<f8') or uint8 ('|u1').",
            ReadError(npz));
    }

    [Fact]
    public void Read_LongDtype_ShortenedInMessage()
    {
        var descr = "<" + new string('U', 999);
        var npz = Npz(("x", Npy(descr, [2, 1], new byte[8])), ("y", Npy(new long[2])));

        Assert.Equal(
            $"x.npy in data.npz has dtype '{descr[..64]}…' (1,000 characters); x must be float32 ('<f4'), float64 ('<f8') or uint8 ('|u1').",
            ReadError(npz));
    }

    [Fact]
    public void Read_ExtraBytesAfterData_IsRejected()
    {
        var npz = Npz(("x", Npy(Floats(2), 2, 1)), ("y", Npy("<i8", [2], new byte[20])));

        Assert.Equal("y.npy in data.npz has 4 bytes after the data: the header declares 2 int64 (16 bytes).", ReadError(npz));
    }

    [Theory]
    [InlineData("x", "<f2", "x.npy in data.npz has dtype '<f2'; x must be float32 ('<f4'), float64 ('<f8') or uint8 ('|u1').")]
    [InlineData("x", ">f4", "x.npy in data.npz has dtype '>f4'; x must be float32 ('<f4'), float64 ('<f8') or uint8 ('|u1').")]
    [InlineData("y", "<f4", "y.npy in data.npz has dtype '<f4'; y must be int64 ('<i8'), int32 ('<i4') or uint8 ('|u1').")]
    public void Read_UnsupportedDtype_NamesArrayAndAllowedTypes(string array, string descr, string expected)
    {
        var x = array == "x" ? Npy(descr, [2, 1], new byte[8]) : Npy(Floats(2), 2, 1);
        var y = array == "y" ? Npy(descr, [2], new byte[8]) : Npy(new long[2]);

        Assert.Equal(expected, ReadError(Npz(("x", x), ("y", y))));
    }

    [Fact]
    public void Read_FortranOrder_IsRejected()
    {
        var npz = Npz(("x", Npy("<f4", [2, 2], new byte[16], fortranOrder: true)), ("y", Npy(new long[2])));

        Assert.Equal(
            "x.npy in data.npz is stored in Fortran order; save it in C order (np.ascontiguousarray(a)) and upload again.",
            ReadError(npz));
    }

    [Fact]
    public void Read_ChannelsLastImages_IsRejected()
    {
        var npz = Npz(("x", Npy(Floats(2 * 8 * 8 * 3), 2, 8, 8, 3)), ("y", Npy(new long[] { 0, 1 })));

        Assert.Equal(
            "x has shape [2, 8, 8, 3], which looks channels-last: its last axis (3) is a usual channel count and its "
                + "second (8) is not. RandomFit reads [N, C, H, W], so expected [2, 3, 8, 8] here. "
                + "Transpose it with np.transpose(x, (0, 3, 1, 2)) and upload again.",
            ReadError(npz));
    }

    [Theory]
    [InlineData(3L, 8L, 8L)]
    [InlineData(4L, 8L, 3L)]
    [InlineData(16L, 8L, 8L)]
    public void Read_ChannelsFirstImages_IsAccepted(long channels, long height, long width)
    {
        var count = (int)(2 * channels * height * width);
        var npz = Npz(("x", Npy(Floats(count), 2, channels, height, width)), ("y", Npy(new long[] { 0, 1 })));

        Assert.Equal([2L, channels, height, width], Read(npz).Inputs.Shape);
    }

    [Theory]
    [InlineData(new long[] { 2, 5000 }, "x has shape [2, 5000], so each sample has width 5000 (the features of "
        + "[N, features] are the width), but a spec's data.shape allows a width of at most 1024.")]
    [InlineData(new long[] { 1, 2000, 2 }, "x has shape [1, 2000, 2], so each sample has height 2000, but a spec's "
        + "data.shape allows a height of at most 1024.")]
    [InlineData(new long[] { 1, 2, 3000 }, "x has shape [1, 2, 3000], so each sample has width 3000, but a spec's "
        + "data.shape allows a width of at most 1024.")]
    [InlineData(new long[] { 1, 65, 2, 2 }, "x has shape [1, 65, 2, 2], so each sample has 65 channels, but a spec's "
        + "data.shape allows at most 64 channels.")]
    public void Read_SampleShapeBeyondSpecLimits_IsRejected(long[] shape, string expected)
    {
        var count = (int)shape.Aggregate(1L, (product, d) => product * d);
        var npz = Npz(("x", Npy(new byte[count], shape)), ("y", Npy(new long[shape[0]])));

        Assert.Equal(expected + " Reduce that dimension and upload again.", ReadError(npz));
    }

    [Theory]
    [InlineData(new long[] { 1, 1024 })]
    [InlineData(new long[] { 1, 1024, 2 })]
    [InlineData(new long[] { 1, 64, 2, 1024 })]
    public void Read_SampleShapeAtSpecLimits_IsAccepted(long[] shape)
    {
        var count = (int)shape.Aggregate(1L, (product, d) => product * d);
        var npz = Npz(("x", Npy(new byte[count], shape)), ("y", Npy(new long[shape[0]])));

        Assert.Equal(shape, Read(npz).Inputs.Shape);
    }

    [Fact]
    public void Read_MissingLabels_IsRejected()
    {
        var npz = Npz(("x", Npy(Floats(2), 2, 1)));

        Assert.Equal("data.npz has no array y; save one class index per sample of x as y.", ReadError(npz));
    }

    [Fact]
    public void Read_LabelCountMismatch_NamesBothCounts()
    {
        var npz = Npz(("x", Npy(Floats(100), 100, 1)), ("y", Npy(new long[99])));

        Assert.Equal("x has 100 samples but y has 99.", ReadError(npz));
    }

    [Theory]
    [InlineData(-1L, "y contains label -1 at index 2; labels must be class indices from 0 to 999.")]
    [InlineData(1000L, "y contains label 1000 at index 2; labels must be class indices from 0 to 999.")]
    public void Read_LabelOutOfRange_IsRejected(long label, string expected)
    {
        var npz = Npz(("x", Npy(Floats(3), 3, 1)), ("y", Npy(new[] { 0, 1, label })));

        Assert.Equal(expected, ReadError(npz));
    }

    [Fact]
    public void Read_TestInputsWithoutLabels_IsRejected()
    {
        var npz = Npz(("x", Npy(Floats(2), 2, 1)), ("y", Npy(new long[2])), ("x_test", Npy(Floats(2), 2, 1)));

        Assert.Equal("x_test is present but y_test is missing; give both for a test split, or neither.", ReadError(npz));
    }

    [Fact]
    public void Read_TestShapeDiffers_IsRejected()
    {
        var npz = Npz(
            ("x", Npy(Floats(4), 2, 2)),
            ("y", Npy(new long[2])),
            ("x_test", Npy(Floats(3), 1, 3)),
            ("y_test", Npy(new long[1])));

        Assert.Equal(
            "x_test has shape [1, 3] but x has shape [2, 2]; their samples must have the same shape.",
            ReadError(npz));
    }

    [Fact]
    public void Read_UnknownArrayName_IsRejected()
    {
        var npz = Npz(("images", Npy(Floats(2), 2, 1)), ("y", Npy(new long[2])));

        Assert.Equal(
            "data.npz contains an array named images; expected x and y, optionally x_test and y_test.",
            ReadError(npz));
    }

    [Fact]
    public void Read_LongUnknownArrayName_ShortenedInMessage()
    {
        var name = new string('a', 1000);
        var npz = Npz((name, Npy(Floats(2), 2, 1)), ("y", Npy(new long[2])));

        Assert.Equal(
            $"data.npz contains an array named {name[..64]}… (1,000 characters); expected x and y, optionally x_test and y_test.",
            ReadError(npz));
    }

    [Fact]
    public void Read_NotAZipArchive_IsRejected()
    {
        var message = ReadError(Npy(Floats(2), 2, 1));

        Assert.StartsWith("data.npz is not a readable .npz file (a zip archive of .npy arrays): ", message);
    }

    [Fact]
    public void Read_OneDimensionalInputs_AreRejected()
    {
        var npz = Npz(("x", Npy(Floats(3), 3)), ("y", Npy(new long[3])));

        Assert.Equal(
            "x has shape [3]; expected samples first with 1 to 3 more dimensions: [N, C, H, W], [N, H, W] or "
            + "[N, features], with N at least 1.",
            ReadError(npz));
    }

    [Fact]
    public void Read_NaNInput_IsRejected()
    {
        var npz = Npz(("x", Npy(new[] { 1f, float.NaN }, 2, 1)), ("y", Npy(new long[2])));

        Assert.Equal("x contains NaN at flat index 1; inputs must be finite numbers.", ReadError(npz));
    }
}
