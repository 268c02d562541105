using System.ComponentModel.DataAnnotations;

namespace RandomFit.Web.Security;

/// <summary>The <c>RandomFit:Auth</c> settings.</summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "RandomFit:Auth";

    /// <summary>
    /// <c>auto</c> (sign-in required when the server listens beyond loopback), <c>true</c> or <c>false</c>.
    /// </summary>
    public string RequireSignIn { get; set; } = "auto";

    /// <summary>Parses <see cref="RequireSignIn"/> case-insensitively, or returns null for any other value.</summary>
    public SignInMode? ParseRequireSignIn() => RequireSignIn?.Trim().ToLowerInvariant() switch
    {
        "auto" => SignInMode.Auto,
        "true" => SignInMode.Always,
        "false" => SignInMode.Never,
        _ => null,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ParseRequireSignIn() is null)
        {
            yield return new ValidationResult(
                $"{Section}:RequireSignIn is '{RequireSignIn}', which is invalid; use auto, true or false.",
                [nameof(RequireSignIn)]);
        }
    }
}

/// <summary>The parsed value of <c>RandomFit:Auth:RequireSignIn</c>.</summary>
public enum SignInMode { Auto, Always, Never }
