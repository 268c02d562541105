using TorchSharp;

namespace RandomFit.Training.Training;

/// <summary>
/// Scalars kept alive for the whole process. TorchSharp turns a number argument, and the implicit alpha of overloads
/// such as <c>add_(Tensor)</c>, into a temporary <see cref="Scalar"/> and passes its native handle on without keeping
/// the object reachable. A garbage collection during the native call can then finalize it, and libtorch fails with
/// "Expected false to be true" from <c>toFloat</c> or <c>toDouble</c>. Code that runs every batch passes these
/// instead, or keeps its own in a <c>using</c> variable until the call returns.
/// NOTE: the data generators (once per run) and TorchSharp's optimizers off the CPU (where <see cref="FusedAdam"/>
/// and <see cref="FusedSgd"/> use TorchSharp's step) still pass temporary Scalars, so a collection at the wrong moment
/// can still fail a run there, though far more rarely than in the batch loop.
/// </summary>
internal static class HeldScalars
{
    public static readonly Scalar One = 1;

    public static readonly Scalar Zero = 0;

    public static readonly Scalar MinusOne = -1f;
}
