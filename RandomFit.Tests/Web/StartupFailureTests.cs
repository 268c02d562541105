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

    [Fact]
    public void Describe_WrongTypeSetting_KeepsBinderMessage()
    {
        var conversion = new InvalidOperationException(
            "Failed to convert configuration value 'abc' at 'RandomFit:RateLimit:RunsPerMinute' to type 'System.Int32'.",
            new ArgumentException("abc is not a valid value for Int32."));

        Assert.Equal(
            "Failed to convert configuration value 'abc' at 'RandomFit:RateLimit:RunsPerMinute' to type 'System.Int32'.",
            StartupFailure.Describe(conversion));
    }

    [Fact]
    public void Describe_InvalidSettingAmongOthers_JoinsReasons()
    {
        var several = new AggregateException(
            new InvalidSettingException("RandomFit:Role is 'both', which is invalid; use all, web or worker."),
            new Microsoft.Extensions.Options.OptionsValidationException(
                "x", typeof(RandomFit.Web.Security.AuthOptions), ["RequireSignIn is invalid."]));

        Assert.Equal(
            "RandomFit:Role is 'both', which is invalid; use all, web or worker. RandomFit:Auth: RequireSignIn is invalid.",
            StartupFailure.Describe(several));
    }

    [Fact]
    public void Describe_UnrelatedInvalidOperation_NotAStartupFailure()
    {
        var exception = new InvalidOperationException("Sequence contains no elements", new ArgumentException("x"));

        Assert.Null(StartupFailure.Describe(exception));
    }
}
