using System.Runtime.InteropServices;
using RandomFit.Training.Training;
using static TorchSharp.torch;

namespace RandomFit.Tests.Training;

/// <summary>
/// The output layer's step against autograd. The loops run on any machine: without 512-bit vectors in hardware .NET
/// computes the same vector operations in software.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class NarrowHeadTests
{
    // Seeds, rows, input units, classes: 61 rows leave a row past the last block of four; 2 and 16 classes are the
    // fewest and the most.
    public static TheoryData<int, int, int, int> Shapes => new()
    {
        { 3, 61, 128, 10 },
        { 1, 4, 64, 2 },
        { 2, 64, 64, 16 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gradients_MatchAutograd(int seeds, int rows, int units, int classes)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(5, CPU);

        var before = randn([seeds, rows, units], generator: generator).requires_grad_();
        var input = before.relu();
        var weight = randn([seeds, units, classes], generator: generator).mul_(0.1f).requires_grad_();
        var bias = randn([seeds, 1, classes], generator: generator).requires_grad_();
        var labels = randint(0, classes, [seeds, rows + 3], generator: generator).narrow(1, 2, rows);
        var logits = input.bmm(weight).add(bias);
        Objective.StackedLoss(logits, labels).mean([1]).sum().backward();

        // The ReLU's output as a view of rows 1 .. rows of each seed, so neither of its strides is the plain one.
        var strided = zeros([seeds, rows + 2, units]).narrow(1, 1, rows).copy_(input.detach());
        Assert.True(NarrowHead.Fits(strided, weight, labels));
        var head = NarrowHead.Gradients(strided, weight.detach(), bias.detach(), labels, throughRelu: true);

        AssertClose(weight.grad!, head.Weight);
        AssertClose(bias.grad!, head.Bias);
        AssertClose(before.grad!, head.Input!);
        AssertClose(before.grad!.sum([1], keepdim: true), head.InputBias!);
    }

    [Fact]
    public void Gradients_WithoutRelu_ReturnsLayerOnly()
    {
        using var scope = NewDisposeScope();
        var input = ones(1, 2, 64);
        var weight = zeros(1, 64, 4);
        var bias = zeros(1, 1, 4);
        var labels = tensor(new long[] { 0, 3 }).reshape(1, 2);

        var head = NarrowHead.Gradients(input, weight, bias, labels, throughRelu: false);

        // Equal logits give softmax 1/4, so row 0's gradient is (1/4 - 1, 1/4, 1/4, 1/4) / 2, and the two rows sum to
        // (-1/4, 1/4, 1/4, -1/4) for the bias and for each unit's weights, whose inputs are 1.
        Assert.Null(head.Input);
        Assert.Null(head.InputBias);
        Assert.Equal(new[] { -0.25f, 0.25f, 0.25f, -0.25f }, head.Bias.data<float>().ToArray());
        Assert.Equal(new[] { -0.25f, 0.25f, 0.25f, -0.25f }, head.Weight[0, 63].data<float>().ToArray());
    }

    [Fact]
    public void Gradients_ReluZeroesNaNGradient()
    {
        using var scope = NewDisposeScope();

        // Row 0 has a NaN input unit, so its logits and its loss gradient are NaN. Where the ReLU's output is 0 the
        // input gradient is still 0, and where it is NaN the NaN passes, as autograd's ReLU gives it.
        var input = ones(1, 2, 64);
        input[0, 0, 0] = tensor(float.NaN);
        input[0, 0, 1] = tensor(0f);
        var weight = ones(1, 64, 3);
        var bias = zeros(1, 1, 3);
        var labels = tensor(new long[] { 1, 2 }).reshape(1, 2);

        var head = NarrowHead.Gradients(input, weight, bias, labels, throughRelu: true);

        Assert.True(float.IsNaN(head.Input![0, 0, 5].item<float>()), "A NaN loss gradient became a number.");
        Assert.Equal(0f, head.Input[0, 0, 1].item<float>());
        Assert.True(float.IsNaN(head.Input[0, 0, 0].item<float>()), "The gradient at a NaN output was zeroed.");
        Assert.False(float.IsNaN(head.Input[0, 1, 5].item<float>()), "Row 1's gradient took row 0's NaN.");
    }

    [Fact]
    public void Gradients_NaNReluOutput_MatchesAutograd()
    {
        using var scope = NewDisposeScope();

        // Unit 0 of row 0 is NaN before the ReLU and after it. Autograd's ReLU zeroes the gradient only where the output
        // is at most 0, and NaN <= 0 is false, so the NaN loss gradient of row 0 passes at unit 0.
        var values = ones(1, 2, 64);
        values[0, 0, 0] = tensor(float.NaN);
        values[0, 0, 1] = tensor(-1f);
        var before = values.requires_grad_();
        var input = before.relu();
        var weight = full(1, 64, 3, 0.1f).requires_grad_();
        var bias = zeros(1, 1, 3).requires_grad_();
        var labels = tensor(new long[] { 1, 2 }).reshape(1, 2);
        Objective.StackedLoss(input.bmm(weight).add(bias), labels).mean([1]).sum().backward();

        var head = NarrowHead.Gradients(input.detach(), weight.detach(), bias.detach(), labels, throughRelu: true);

        var expected = before.grad!;
        Assert.True(float.IsNaN(expected[0, 0, 0].item<float>()), "Autograd's ReLU zeroed the gradient at a NaN output.");
        Assert.Equal(expected[0, 0, 0].item<float>(), head.Input![0, 0, 0].item<float>());
        Assert.Equal(expected[0, 0, 1].item<float>(), head.Input[0, 0, 1].item<float>());

        // Row 1's equal logits make its input gradient 0 up to rounding, which differs between the two.
        Assert.Equal(expected[0, 1, 0].item<float>(), head.Input[0, 1, 0].item<float>(), 1e-7f);
        Assert.True(float.IsNaN(head.InputBias![0, 0, 0].item<float>()), "The bias gradient at unit 0 left out row 0's NaN.");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(10)]
    public void Gradients_WeightBeforeUnreadablePage_ReadsNoFurther(int classes)
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "The unreadable page is made with Linux's mmap and mprotect.");

        // The weight's last float is the last one before a page that faults when read, as the end of an allocation can be.
        // The scope ends first, so no tensor over the page outlives its mapping.
        using var page = new GuardedFloats(64 * classes);
        using var scope = NewDisposeScope();
        var weight = page.Tensor([1, 64, classes]);
        weight.copy_(arange(64 * classes, ScalarType.Float32).reshape(1, 64, classes).div_(1000));
        var input = ones(1, 3, 64);
        var bias = zeros(1, 1, classes);
        var labels = tensor(new long[] { 0, 1, 1 }).reshape(1, 3);

        var head = NarrowHead.Gradients(input, weight, bias, labels, throughRelu: true);

        var expected = NarrowHead.Gradients(input, weight.clone(), bias, labels, throughRelu: true);
        Assert.True(expected.Weight.allclose(head.Weight, rtol: 0, atol: 0), "The weight gradient depends on where the weight lies.");
        Assert.True(expected.Input!.allclose(head.Input!, rtol: 0, atol: 0), "The input gradient depends on where the weight lies.");
    }

    /// <summary>Floats that end where a page begins that faults on any access, and a tensor over them.</summary>
    private sealed class GuardedFloats : IDisposable
    {
        private const int ProtectNone = 0;
        private const int ProtectReadWrite = 3;
        private const int MapPrivateAnonymous = 0x22;
        private const sbyte Float32 = 6;

        // libtorch calls it when the tensor's storage is freed. The memory is unmapped in Dispose, so it does nothing.
        private static readonly Deleter Ignore = _ => { };

        private readonly IntPtr _mapping;
        private readonly long _length;
        private readonly IntPtr _floats;

        public GuardedFloats(int count)
        {
            var pageSize = Environment.SystemPageSize;
            var dataPages = ((count * sizeof(float)) + pageSize - 1) / pageSize;
            _length = (long)(dataPages + 1) * pageSize;
            _mapping = MapMemory(IntPtr.Zero, (nuint)_length, ProtectReadWrite, MapPrivateAnonymous, -1, 0);
            Assert.NotEqual(new IntPtr(-1), _mapping);
            var guard = _mapping + (dataPages * pageSize);
            Assert.Equal(0, ProtectMemory(guard, (nuint)pageSize, ProtectNone));
            _floats = guard - (count * sizeof(float));
        }

        public Tensor Tensor(long[] shape)
        {
            var handle = NewTensor(_floats, Ignore, shape, shape.Length, Float32, Float32, 0, 0, requiresGrad: false);
            Assert.NotEqual(IntPtr.Zero, handle);
            return TorchSharp.torch.Tensor.UnsafeCreateTensor(handle);
        }

        public void Dispose() => UnmapMemory(_mapping, (nuint)_length);

        private delegate void Deleter(IntPtr data);

        [DllImport("libc", EntryPoint = "mmap")]
        private static extern IntPtr MapMemory(IntPtr address, nuint length, int protection, int flags, int file, long offset);

        [DllImport("libc", EntryPoint = "mprotect")]
        private static extern int ProtectMemory(IntPtr address, nuint length, int protection);

        [DllImport("libc", EntryPoint = "munmap")]
        private static extern int UnmapMemory(IntPtr address, nuint length);

        [DllImport("LibTorchSharp", EntryPoint = "THSTensor_new")]
        private static extern IntPtr NewTensor(
            IntPtr data,
            Deleter deleter,
            long[] shape,
            int dimensions,
            sbyte type,
            sbyte dtype,
            int deviceType,
            int deviceIndex,
            [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    }

    [Fact]
    public void Fits_RejectsLayoutsTheLoopsDoNotRead()
    {
        using var scope = NewDisposeScope();
        var input = zeros(2, 8, 64);
        var labels = zeros([2, 8], ScalarType.Int64);

        Assert.True(NarrowHead.Fits(input, zeros(2, 64, 10), labels));
        Assert.False(NarrowHead.Fits(input, zeros(2, 64, 1), labels), "One logit is binary cross-entropy.");
        Assert.False(NarrowHead.Fits(input, zeros(2, 64, 17), labels), "17 classes do not fit one vector.");
        Assert.False(NarrowHead.Fits(zeros(2, 8, 80), zeros(2, 80, 10), labels), "80 units are not whole blocks of 64.");
        Assert.False(NarrowHead.Fits(input, zeros(2, 10, 64).transpose(1, 2), labels), "A transposed weight.");
        Assert.False(NarrowHead.Fits(input, zeros(2, 64, 10), zeros([2, 8], ScalarType.Int32)), "int32 labels.");
        Assert.False(NarrowHead.Fits(input, zeros(2, 64, 10), zeros([8, 2], ScalarType.Int64).t()), "Labels of stride 2.");
    }

    private static void AssertClose(Tensor expected, Tensor actual) =>
        TensorAssert.Close(expected, actual, relative: 1e-5, absolute: 1e-7, "The loops' gradient", "autograd's");
}
