using System.ComponentModel.DataAnnotations;

namespace RandomFit.Web.Apis;

/// <summary>The HTTP part of <c>RandomFit:Limits</c>; the spec budgets bind from the same section.</summary>
public sealed class RequestLimitsOptions
{
    public const string Section = "RandomFit:Limits";

    /// <summary>Maximum size of a request body in bytes, other than dataset uploads.</summary>
    [Range(1, long.MaxValue)] public long MaxRequestBytes { get; set; } = 1_048_576;
}
