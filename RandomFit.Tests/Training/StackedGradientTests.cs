using RandomFit.Training.Models;
using RandomFit.Training.Specs;
using RandomFit.Training.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace RandomFit.Tests.Training;

/// <summary>The stacked loss and the dense gradients written out, against libtorch's loss and autograd.</summary>
[Collection(TorchCollection.Name)]
public sealed class StackedGradientTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(3)]
    [InlineData(2)]
    public void SetDenseGradients_MatchAutograd(int classes)
    {
        using var network = Network(classes, hidden: [6, 5]);
        using var inputs = randn([3, 7, 2, 2, 3], generator: Generator(11));
        using var labels = randint(0, classes, [3, 7], generator: Generator(12));

        AssertGradientsMatchAutograd(network, inputs, labels);
    }

    [Theory]
    [InlineData(10, 1)]
    [InlineData(3, 2)]
    [InlineData(2, 2)]
    public void SetDenseGradients_OneThread_MatchAutograd(int classes, int hiddenLayers)
    {
        // Layers of 64 units on one libtorch thread, as in a lane: DenseKernels and NarrowHead compute these where the
        // processor has 512-bit vectors, and libtorch elsewhere. Two classes make one logit, which NarrowHead leaves.
        var processThreads = get_num_threads();
        set_num_threads(1);
        try
        {
            using var network = Network(classes, hidden: [.. Enumerable.Repeat(64, hiddenLayers)]);
            using var inputs = randn([3, 9, 2, 2, 3], generator: Generator(21));
            using var labels = randint(0, classes, [3, 9], generator: Generator(22));

            AssertGradientsMatchAutograd(network, inputs, labels);
        }
        finally
        {
            set_num_threads(processThreads);
        }
    }

    [Fact]
    public void SetDenseGradients_ReplacesEarlierGradients()
    {
        using var network = Network(4, hidden: [5]);
        using var inputs = randn([3, 6, 2, 2, 3], generator: Generator(3));
        using var labels = randint(0, 4, [3, 6], generator: Generator(4));
        network.SetDenseGradients(inputs, labels);
        var once = network.Parameters.Select(parameter => parameter.grad!.clone()).ToList();

        network.SetDenseGradients(inputs, labels);

        for (var i = 0; i < once.Count; i++)
        {
            using var twice = network.Parameters[i].grad!;
            Assert.True(twice.allclose(once[i], rtol: 0, atol: 0), $"parameter {i} accumulated");
        }

        once.ForEach(gradient => gradient.Dispose());
    }

    [Fact]
    public void SetDenseGradients_Cnn_Rejected()
    {
        var model = new ModelSpec
        {
            Name = "cnn",
            Kind = ModelKind.Cnn,
            Conv = [new ConvSpec { Filters = 2, Kernel = 3, Padding = Padding.Same, Pool = PoolKind.None }],
            Dense = [],
        };
        using var generator = Generator(1);
        using var network = StackedNetwork.Build(model, Data(3), [generator], CPU);
        using var inputs = zeros([1, 2, 2, 2, 3]);
        using var labels = zeros([1, 2], ScalarType.Int64);

        var error = Assert.Throws<InvalidOperationException>(() => network.SetDenseGradients(inputs, labels));

        Assert.False(network.IsDenseOnly);
        Assert.Equal("This stacked network has conv blocks, so its gradients need autograd; check IsDenseOnly first.", error.Message);
    }

    [Fact]
    public void StackedLoss_MatchesCrossEntropy_ForLargeLogits()
    {
        using var logits = randn([2, 5, 4], generator: Generator(5)).mul_(200);
        using var labels = randint(0, 4, [2, 5], generator: Generator(6));

        using var losses = Objective.StackedLoss(logits, labels);
        using var expected = cross_entropy(logits.reshape(10, 4), labels.reshape(10), reduction: nn.Reduction.None);

        Assert.Equal([2, 5], losses.shape);
        Assert.True(losses.reshape(10).allclose(expected, rtol: 1e-5, atol: 1e-5));
        Assert.True(losses.isfinite().all().item<bool>());
    }

    // Sets the gradients written out and checks each parameter's against autograd's, and that none is all zero.
    private static void AssertGradientsMatchAutograd(StackedNetwork network, Tensor inputs, Tensor labels)
    {
        var expected = AutogradGradients(network, inputs, labels);
        network.SetDenseGradients(inputs, labels);

        for (var i = 0; i < expected.Count; i++)
        {
            using var actual = network.Parameters[i].grad!;
            Assert.Equal(expected[i].shape, actual.shape);
            Assert.True(actual.allclose(expected[i], rtol: 1e-5, atol: 1e-7), $"parameter {i}");
            Assert.True(actual.abs().max().item<float>() > 0, $"parameter {i} has a zero gradient");
        }

        expected.ForEach(gradient => gradient.Dispose());
    }

    private static List<Tensor> AutogradGradients(StackedNetwork network, Tensor inputs, Tensor labels)
    {
        using var logits = network.Forward(inputs);
        using var losses = Objective.StackedLoss(logits, labels);
        using var loss = losses.mean([1]).sum();
        loss.backward();
        return network.Parameters.Select(parameter => parameter.grad!.clone()).ToList();
    }

    private static StackedNetwork Network(int classes, int[] hidden)
    {
        var model = new ModelSpec { Name = "mlp", Kind = ModelKind.Mlp, Hidden = hidden };
        var generators = Enumerable.Range(0, 3).Select(seed => Generator((ulong)seed)).ToList();
        try
        {
            return StackedNetwork.Build(model, Data(classes), generators, CPU);
        }
        finally
        {
            generators.ForEach(generator => generator.Dispose());
        }
    }

    private static DataSpec Data(int classes) => new()
    {
        Shape = new ShapeSpec { Channels = 2, Height = 2, Width = 3 },
        TrainSamples = 7,
        Classes = classes,
    };

    private static TorchSharp.torch.Generator Generator(ulong seed) => new(seed, CPU);
}
