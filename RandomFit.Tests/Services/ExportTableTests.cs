using RandomFit.Web.Services;

namespace RandomFit.Tests.Services;

public sealed class ExportTableTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")]
    [InlineData("@SUM(1)", "'@SUM(1)")]
    [InlineData("+1", "'+1")]
    [InlineData("-cnn", "'-cnn")]
    [InlineData("cnn-2", "cnn-2")]
    [InlineData("", "")]
    public void ToCsv_TextCell_DefusesFormulaStart(string name, string cell)
    {
        var table = new ExportTable([["e1", name, -0.5]]);

        var row = table.ToCsv().Split('\n')[1];

        Assert.Equal($"e1,{cell},-0.5", row);
    }

    [Fact]
    public void ToJson_TextCell_KeepsTextUnchanged()
    {
        object?[] row = ["e1", "=1+1", .. Enumerable.Repeat<object?>(null, ExportTable.Columns.Count - 2)];
        var table = new ExportTable([row]);

        var json = table.ToJson()[0]!.AsObject();

        Assert.Equal("=1+1", json["experimentName"]!.GetValue<string>());
    }
}
