using TorchSharp.Modules;
using static TorchSharp.torch;

namespace RandomFit.Tests.Training;

/// <summary>Parameters, gradients and step loops shared by the one-pass optimizer tests.</summary>
internal static class OptimizerSteps
{
    /// <summary>Returns the starting values of a test parameter. Its odd size makes both the vector loop and its scalar tail run.</summary>
    public static Tensor Start(ScalarType type) => randn([3, 1001], type, generator: new Generator(7));

    /// <summary>Returns the gradient of a step, the same for every optimizer under test.</summary>
    public static Tensor Gradient(ScalarType type, int step) =>
        randn([3, 1001], type, generator: new Generator((ulong)(100 + step)));

    /// <summary>Reports whether two tensors are equal element by element.</summary>
    public static bool Same(Tensor left, Tensor right) => left.eq(right).all().item<bool>();

    /// <summary>
    /// Steps two parameters from the same start with the same gradients, one with each optimizer, and returns both.
    /// </summary>
    public static (Tensor Fused, Tensor Plain) TrainBoth(
        ScalarType type,
        int steps,
        Func<Parameter, OptimizerHelper> createFused,
        Func<Parameter, OptimizerHelper> createPlain)
    {
        var fused = new Parameter(Start(type));
        var plain = new Parameter(Start(type));
        using var fusedOptimizer = createFused(fused);
        using var plainOptimizer = createPlain(plain);
        for (var step = 0; step < steps; step++)
        {
            fused.grad = Gradient(type, step);
            plain.grad = Gradient(type, step);
            fusedOptimizer.step();
            plainOptimizer.step();
        }

        return (fused, plain);
    }

    /// <summary>
    /// Steps one parameter ten times, and a second parameter from the first's values and optimizer state saved after
    /// five steps, then returns both parameters.
    /// </summary>
    public static (Tensor Uninterrupted, Tensor Resumed) TrainAndResume(Func<Parameter, OptimizerHelper> create)
    {
        var uninterrupted = new Parameter(Start(ScalarType.Float32));
        var resumed = new Parameter(Start(ScalarType.Float32));
        using var first = create(uninterrupted);
        using var stream = new MemoryStream();
        for (var step = 0; step < 10; step++)
        {
            if (step == 5)
            {
                using (no_grad())
                {
                    resumed.copy_(uninterrupted);
                }

                using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
                first.save_state_dict(writer);
            }

            uninterrupted.grad = Gradient(ScalarType.Float32, step);
            first.step();
        }

        stream.Position = 0;
        using var second = create(resumed);
        using (var reader = new BinaryReader(stream))
        {
            second.load_state_dict(reader);
        }

        for (var step = 5; step < 10; step++)
        {
            resumed.grad = Gradient(ScalarType.Float32, step);
            second.step();
        }

        return (uninterrupted, resumed);
    }
}
