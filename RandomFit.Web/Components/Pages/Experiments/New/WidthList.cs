using System.Globalization;
using RandomFit.Training.Specs;

namespace RandomFit.Web.Components.Pages.Experiments.New;

/// <summary>Parses layer widths written as "64, 32".</summary>
public static class WidthList
{
    /// <summary>Parses comma-separated positive integers; an empty text is an empty list.</summary>
    public static IReadOnlyList<int>? Parse(string? text, out string? error)
    {
        error = null;
        var widths = new List<int>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var width))
            {
                error = $"{EchoedText.Quote(part, '"')} is not a width: write integers separated by commas, such as 64, 32.";
                return null;
            }

            widths.Add(width);
        }

        return widths;
    }

    /// <summary>Formats widths as "64, 32".</summary>
    public static string Format(IReadOnlyList<int>? widths) =>
        widths is null ? "" : string.Join(", ", widths.Select(w => w.ToString(CultureInfo.InvariantCulture)));
}
