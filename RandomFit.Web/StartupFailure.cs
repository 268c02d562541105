using System.Reflection;
using Microsoft.Extensions.Options;
using RandomFit.Web.Persistence;

namespace RandomFit.Web;

/// <summary>
/// The failures that stop the app before it serves anything: invalid settings (one or several at once, or a value of
/// the wrong type), a malformed connection string, a database another process uses or that cannot be opened, and
/// libtorch's native libraries failing to load. Each becomes one log line that names the setting or what to install.
/// </summary>
public static class StartupFailure
{
    /// <summary>Returns the reason to log, or null when <paramref name="exception"/> is not a start-up failure.</summary>
    public static string? Describe(Exception exception) => exception switch
    {
        OptionsValidationException invalid => Describe(invalid),
        InvalidSettingException setting => setting.Message,
        DatabaseInUseException inUse => inUse.Message,
        InvalidOperationException { InnerException: ArgumentException or FormatException } conversion
            when conversion.Message.StartsWith(ConversionFailureStart, StringComparison.Ordinal) => conversion.Message,
        AggregateException { InnerExceptions.Count: > 0 } several
            when several.InnerExceptions.All(inner => Describe(inner) is not null) =>
            string.Join(" ", several.InnerExceptions.Select(inner => Describe(inner))),
        TypeInitializationException { TypeName: "TorchSharp.torch", InnerException: { } inner } => LibTorchNotLoaded(inner),
        // NOTE: matched by the ADO.NET providers' English message wording, which has no exception type of its own.
        ArgumentException argument when argument.Message.StartsWith("Connection string keyword", StringComparison.Ordinal)
            || argument.Message.StartsWith("Format of the initialization string", StringComparison.Ordinal) =>
            $"ConnectionStrings:RandomFit is invalid: {argument.Message}",
        System.Data.Common.DbException database => $"The database could not be opened: {database.Message}",
        _ => null,
    };

    // TorchSharp's message runs to dozens of lines of probing trace, and its first line names what is missing.
    private static string LibTorchNotLoaded(Exception inner)
    {
        var firstLine = inner.Message.Split('\n', 2)[0].Trim();
        return $"libtorch's native libraries did not load ({inner.GetType().Name}: {firstLine}). A build with "
            + "-p:RandomFitTorch=external needs LD_LIBRARY_PATH set to the lib folder of a libtorch 2.10 install; "
            + "the default build carries libtorch in the TorchSharp-cpu package.";
    }

    // The configuration binder's message for a value of the wrong type, such as 'abc' for a number. It names the key
    // and the value, for example "Failed to convert configuration value 'abc' at 'RandomFit:Training:Threads' to type
    // 'System.Int32'."
    private const string ConversionFailureStart = "Failed to convert configuration value";

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

/// <summary>An invalid setting found before the app is built. The message names the key and the value.</summary>
public sealed class InvalidSettingException(string message) : Exception(message);
