using RandomFit.Web.Apis;

namespace RandomFit.Web.Persistence;

/// <summary>Conversion between <see cref="RunStatus"/> and the contract's lowercase strings.</summary>
public static class StatusNames
{
    public static string ToName(RunStatus status) => status.ToString().ToLowerInvariant();

    public static RunStatus Parse(string name) => Enum.Parse<RunStatus>(name, ignoreCase: true);

    /// <summary>Parses a lowercase status string; false for anything else, numbers included.</summary>
    public static bool TryParse(string? name, out RunStatus status)
    {
        status = default;
        if (string.IsNullOrEmpty(name) || name.Any(c => !char.IsAsciiLetterLower(c)))
        {
            return false;
        }

        return Enum.TryParse(name, ignoreCase: true, out status);
    }
}
