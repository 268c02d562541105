using RandomFit.Training.Data;
using static RandomFit.Tests.Data.DatasetFiles;

namespace RandomFit.Tests.Data;

public sealed class IdxReaderTests
{
    private const long Limit = 1 << 26;

    private static ArrayData Read(byte[] images, byte[] labels) =>
        IdxReader.Read(new MemoryStream(images), "images.idx", new MemoryStream(labels), "labels.idx", Limit);

    private static byte[] Pixels(int count) => Enumerable.Range(0, count).Select(i => (byte)(i * 7)).ToArray();

    private static string ReadError(byte[] images, byte[] labels) =>
        Assert.Throws<DatasetFormatException>(() => Read(images, labels)).Message;

    [Fact]
    public void Read_ImagesAndLabels_RoundTrip()
    {
        var pixels = new byte[] { 0, 255, 51, 0, 255, 255, 0, 0, 102, 0, 0, 0 };

        var data = Read(IdxImages(pixels, 3, 2, 2), IdxLabels([7, 0, 3]));

        Assert.Equal([3L, 2, 2], data.Inputs.Shape);
        Assert.Equal(pixels.Select(p => p / 255f), data.Inputs.Values);
        Assert.Equal([7L, 0, 3], data.Labels.Values);
        Assert.Equal(1, data.Describe("d").SampleShape.Channels);
    }

    [Fact]
    public void Read_GzippedFiles_RoundTrip()
    {
        var data = Read(Gzip(IdxImages(new byte[8], 2, 2, 2)), Gzip(IdxLabels([1, 0])));

        Assert.Equal([2L, 2, 2], data.Inputs.Shape);
        Assert.Equal([1L, 0], data.Labels.Values);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(12)]
    public void Read_GzipCut_IsTruncatedOrCorrupted(int cutBytes)
    {
        var gzip = Gzip(IdxImages(Pixels(64), 4, 4, 4));

        var message = ReadError(gzip[..^cutBytes], IdxLabels([0, 1, 2, 3]));

        Assert.StartsWith("images.idx is gzip-compressed but truncated or corrupted: ", message);
        Assert.EndsWith(" Send the complete file again.", message);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(4)]
    public void Read_GzipTrailerCorrupted_IsTruncatedOrCorrupted(int fromEnd)
    {
        var gzip = Gzip(IdxImages(Pixels(64), 4, 4, 4));
        gzip[^fromEnd] ^= 0xFF;

        Assert.Equal(
            "images.idx is gzip-compressed but truncated or corrupted: its compressed data or gzip trailer "
            + "(CRC-32 and length) is invalid. Send the complete file again.",
            ReadError(gzip, IdxLabels([0, 1, 2, 3])));
    }

    [Fact]
    public void Read_GzipCutInTrailer_NamesTrailerMismatch()
    {
        var gzip = Gzip(IdxImages(Pixels(64), 4, 4, 4));

        Assert.Equal(
            "images.idx is gzip-compressed but truncated or corrupted: its gzip trailer (CRC-32 and length) does not "
            + "match the decompressed data. Send the complete file again.",
            ReadError(gzip[..^3], IdxLabels([0, 1, 2, 3])));
    }

    [Fact]
    public void Read_GzipLabelsCut_NamesLabelsFile()
    {
        var labels = Gzip(IdxLabels([0, 1, 2, 3]));

        var message = ReadError(Gzip(IdxImages(Pixels(64), 4, 4, 4)), labels[..^1]);

        Assert.StartsWith("labels.idx is gzip-compressed but truncated or corrupted: ", message);
    }

    [Fact]
    public void Read_ConcatenatedGzipMembers_RoundTrip()
    {
        var images = IdxImages(Pixels(64), 4, 4, 4);
        var members = Gzip(images[..30]).Concat(Gzip(images[30..])).ToArray();

        var data = Read(members, Gzip(IdxLabels([0, 1, 2, 3])));

        Assert.Equal([4L, 4, 4], data.Inputs.Shape);
        Assert.Equal(Pixels(64).Select(p => p / 255f), data.Inputs.Values);
    }

    [Fact]
    public void Read_ConcatenatedGzipMembersCut()
    {
        var images = IdxImages(Pixels(64), 4, 4, 4);
        var members = Gzip(images[..30]).Concat(Gzip(images[30..])).ToArray();

        var message = ReadError(members[..^2], IdxLabels([0, 1, 2, 3]));

        Assert.StartsWith("images.idx is gzip-compressed but truncated or corrupted: ", message);
    }

    [Fact]
    public void Read_LabelsFileAsImages_NamesBadMagic()
    {
        var labels = IdxLabels([1, 0]);

        Assert.Equal(
            "images.idx is not an IDX images file: its magic number is 0x00000801; expected 0x00000803 "
            + "(unsigned bytes, 3 dimensions).",
            ReadError(labels, labels));
    }

    [Fact]
    public void Read_TruncatedImages_NamesDeclaredAndFollowingBytes()
    {
        var images = IdxImages(new byte[100], 10, 28, 28);

        Assert.Equal(
            "images.idx is truncated: the header declares 10x28x28 uint8 (7,840 bytes) but 100 bytes follow.",
            ReadError(images, IdxLabels(new byte[10])));
    }

    [Fact]
    public void Read_LabelCountMismatch_NamesBothFiles()
    {
        Assert.Equal(
            "images.idx has 3 samples but labels.idx has 2.",
            ReadError(IdxImages(new byte[12], 3, 2, 2), IdxLabels([0, 1])));
    }
}
