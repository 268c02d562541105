using RandomFit.Web;

namespace RandomFit.Tests.Web;

public sealed class StartupFailureTests
{
    [Fact]
    public void Describe_LibTorchMissing_NamesFirstLineAndFix()
    {
        var missing = new NotSupportedException(
            "This application or script uses TorchSharp but doesn't contain a reference to libtorch-cpu-linux-x64.\n"
            + "Trace from LoadNativeBackend:\n    Step 1 - First try regular load of native libtorch binaries.");
        var exception = new TypeInitializationException("TorchSharp.torch", missing);

        var reason = StartupFailure.Describe(exception);

        Assert.Equal(
            "libtorch's native libraries did not load (NotSupportedException: This application or script uses "
                + "TorchSharp but doesn't contain a reference to libtorch-cpu-linux-x64.). A build with "
                + "-p:RandomFitTorch=external needs LD_LIBRARY_PATH set to the lib folder of a libtorch 2.10 install; "
                + "the default build carries libtorch in the TorchSharp-cpu package.",
            reason);
    }

    [Fact]
    public void Describe_OtherTypeInitializer_NotAStartupFailure()
    {
        var exception = new TypeInitializationException("Some.Other", new InvalidOperationException("x"));

        Assert.Null(StartupFailure.Describe(exception));
    }
}
