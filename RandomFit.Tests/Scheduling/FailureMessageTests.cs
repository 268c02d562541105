using System.Runtime.InteropServices;
using RandomFit.Web.Scheduling;

namespace RandomFit.Tests.Scheduling;

/// <summary>The error text a failed run shows for an exception from the trainer.</summary>
public sealed class FailureMessageTests
{
    [Fact]
    public void ShownMessage_LibtorchError_DropsNativeStack()
    {
        var failure = new ExternalException(
            "Expected false to be true, but got false.\n"
            + "Exception raised from toFloat at c10/core/Scalar.h:140 (most recent call first):\n"
            + "frame #0: c10::Error::Error(c10::SourceLocation, std::string) + 0x98 (0x7f in libc10.so)\n");

        Assert.Equal("Expected false to be true, but got false.", RunScheduler.ShownMessage(failure));
    }

    [Fact]
    public void ShownMessage_PlainError_Unchanged()
    {
        var failure = new InvalidOperationException("Loss became NaN at epoch 1.");

        Assert.Equal("Loss became NaN at epoch 1.", RunScheduler.ShownMessage(failure));
    }
}
