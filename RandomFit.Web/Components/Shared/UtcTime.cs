using System.Globalization;

namespace RandomFit.Web.Components.Shared;

/// <summary>Formats moments for the pages in UTC to the second, such as "2026-12-05 05:37:52 UTC".</summary>
public static class UtcTime
{
    public static string Format(DateTimeOffset moment) =>
        moment.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
}
