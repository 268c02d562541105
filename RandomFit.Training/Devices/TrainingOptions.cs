using System.ComponentModel.DataAnnotations;

namespace RandomFit.Training.Devices;

/// <summary>Device and thread settings, bound from <c>RandomFit:Training</c>.</summary>
public sealed class TrainingOptions
{
    /// <summary>Configuration section of these options.</summary>
    public const string Section = "RandomFit:Training";

    /// <summary><c>auto</c> (CUDA when torch reports it, else CPU), <c>cpu</c> or <c>cuda</c>.</summary>
    /// <remarks>
    /// An empty or blank value, such as an environment variable set to nothing, fails the required check instead of
    /// acting as auto. The regular expression check alone passes an empty string.
    /// </remarks>
    [Required(ErrorMessage = "RandomFit:Training:Device is empty or blank, which is invalid; use auto, cpu or cuda, "
        + "or remove the key for auto.")]
    [RegularExpression("^(auto|cpu|cuda)$", ErrorMessage = "RandomFit:Training:Device must be auto, cpu or cuda.")]
    public string Device { get; set; } = "auto";

    /// <summary>libtorch threads per run; 0 uses all cores.</summary>
    [Range(0, 1024)] public int Threads { get; set; }
}
