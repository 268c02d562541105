using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace RandomFit.Training.Training;

/// <summary>Direct access to the memory of contiguous CPU float32 tensors, for the one-pass optimizer updates.</summary>
internal static partial class CpuFloats
{
    /// <summary>
    /// Reports whether a tensor is a contiguous CPU float32 tensor whose memory one span can cover, which takes at
    /// most <see cref="int.MaxValue"/> elements. A stacked cohort's parameter can hold more.
    /// </summary>
    public static bool IsPlain(Tensor tensor) =>
        tensor.device_type == TorchSharp.DeviceType.CPU && tensor.dtype == ScalarType.Float32 && tensor.is_contiguous()
        && tensor.numel() <= int.MaxValue;

    /// <summary>The address of a CPU tensor's first element.</summary>
    public static IntPtr DataOf(Tensor tensor)
    {
        var data = NativeData(tensor.Handle);
        return data == IntPtr.Zero ? throw new InvalidOperationException("libtorch returned no data pointer for a CPU tensor.") : data;
    }

    // LibTorchSharp's export behind TensorAccessor. It returns ATen's data_ptr(), which includes the storage offset.
    [LibraryImport("LibTorchSharp", EntryPoint = "THSTensor_data")]
    private static partial IntPtr NativeData(IntPtr tensor);
}
