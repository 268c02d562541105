using System.ComponentModel.DataAnnotations;

namespace RandomFit.Web.Security;

/// <summary>The <c>RandomFit:RateLimit</c> settings.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RandomFit:RateLimit";

    /// <summary>Runs one user (or one remote address, when anonymous) may start in any 60-second window.</summary>
    [Range(1, int.MaxValue)]
    public int RunsPerMinute { get; set; } = 600;
}
