using System.Globalization;
using MudBlazor;
using RandomFit.Training.Specs;

namespace RandomFit.Web.Components.Pages.Experiments.New;

/// <summary>
/// Reads and writes the text of the page's number fields (int, double and their nullable forms) in the invariant
/// culture. Doubles are written as <see cref="SpecNumber.Format"/> writes them, such as 1e-6, and read in any form that
/// parses, such as 0.000001 or 1E-06.
/// </summary>
public static class NumberText
{
    public static string Format<T>(T? value) => value switch
    {
        double real => SpecNumber.Format(real),
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => "",
    };

    /// <summary>The on-screen keyboard that a field of type <typeparamref name="T"/> requests.</summary>
    public static InputMode InputModeOf<T>() => IsWholeNumber<T>() ? InputMode.numeric : InputMode.@decimal;

    /// <summary>
    /// Parses a field's text. Blank text is null for a nullable type. Returns false with a message that names the
    /// text, the field and the value it keeps when the text is not a finite number of the type.
    /// </summary>
    public static bool TryParse<T>(string? text, string label, T? current, out T? value, out string? problem)
    {
        var trimmed = text?.Trim() ?? "";
        value = default;
        problem = null;
        var nullable = Nullable.GetUnderlyingType(typeof(T)) is not null;
        if (trimmed.Length == 0 && nullable)
        {
            return true;
        }

        if (IsWholeNumber<T>())
        {
            if (int.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var whole))
            {
                value = (T)(object)whole;
                return true;
            }
        }
        else if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)
            && double.IsFinite(real))
        {
            value = (T)(object)real;
            return true;
        }

        problem = Rejection<T>(trimmed, label, current);
        return false;
    }

    private static string Rejection<T>(string text, string label, T? current)
    {
        var outcome = Format(current) is { Length: > 0 } shown ? $"keeps {shown}" : "stays empty";
        if (text.Length == 0)
        {
            return $"{label} needs a number, so it {outcome}.";
        }

        // The int's range is named only for a number beyond it. Within it the field's own range, checked by the
        // validator, is the one that matters, and letters or a fraction are wrong for any range.
        var beyondInt = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && number is < int.MinValue or > int.MaxValue;
        var kind = (IsWholeNumber<T>(), beyondInt) switch
        {
            (false, _) => "a number",
            (true, true) => "a whole number from -2147483648 to 2147483647",
            (true, false) => "a whole number",
        };
        return $"{EchoedText.Quote(text)} is not {kind}, so {label} {outcome}.";
    }

    private static bool IsWholeNumber<T>() => (Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T)) == typeof(int);
}
