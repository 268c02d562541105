using TorchSharp;
using static TorchSharp.torch;

namespace RandomFit.Training.Models;

/// <summary>
/// Lays image batches out channels last in memory (NHWC strides) while keeping their logical [N, C, H, W] shape.
/// libtorch's CPU convolutions and pooling take a faster path on such tensors, and their outputs keep the layout.
/// So a whole stack of conv blocks runs in it, and zhang-cnn and article example 1 trained about twice as fast
/// (docs/benchmarks.md, Channels last). Values stay those of the usual layout, and flattening copies them back
/// into channel, row, column order.
/// </summary>
internal static class ChannelsLast
{
    /// <summary>
    /// Returns <paramref name="images"/> [N, C, H, W] with channels-last strides, copied unless C is 1. Tensors on
    /// devices other than the CPU come back unchanged, because the gain was measured on the CPU only.
    /// </summary>
    public static Tensor From(Tensor images)
    {
        if (images.device_type != DeviceType.CPU)
        {
            return images.alias();
        }

        var (count, channels, height, width) = (images.shape[0], images.shape[1], images.shape[2], images.shape[3]);

        // One channel has the same memory order in both layouts, but libtorch reads a contiguous [N, 1, H, W]
        // tensor as the usual layout. A view as [N, H, W, 1] gives the channel a stride of 1.
        var nhwc = channels == 1
            ? images.reshape(count, height, width, 1)
            : images.permute(0, 2, 3, 1).contiguous();
        return nhwc.permute(0, 3, 1, 2);
    }
}
