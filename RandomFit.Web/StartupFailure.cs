using System.Reflection;
using Microsoft.Extensions.Options;
using RandomFit.Web.Persistence;

namespace RandomFit.Web;

/// <summary>
/// The failures that stop the app before it serves anything: invalid settings, one or several at once, and a database
/// another process uses. Each becomes one sentence that names the setting's section, for a single log line.
/// </summary>
public static class StartupFailure
{
    /// <summary>Returns the reason to log, or null when <paramref name="exception"/> is not a start-up failure.</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        OptionsValidationException invalid => Describe(invalid),
        DatabaseInUseException inUse => inUse.Message,
        AggregateException { InnerExceptions.Count: > 0 } several
            when several.InnerExceptions.All(inner => inner is OptionsValidationException) =>
            string.Join(" ", several.InnerExceptions.Cast<OptionsValidationException>().Select(Describe)),
        _ => null,
    };

    // Every options class has its configuration section in a public constant named Section.
    private static string Describe(OptionsValidationException invalid)
    {
        var section = invalid.OptionsType
            .GetField("Section", BindingFlags.Public | BindingFlags.Static)?
            .GetValue(null) as string;
        var failures = string.Join(" ", invalid.Failures);
        return section is null || failures.StartsWith(section, StringComparison.Ordinal)
            ? failures
            : $"{section}: {failures}";
    }
}
