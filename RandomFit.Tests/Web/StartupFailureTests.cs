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

    [Fact]
    public void Describe_BadConnectionStringKeyword_NamesTheSetting()
    {
        var exception = new ArgumentException("Connection string keyword 'data_source' is not supported.");

        Assert.Equal(
            "ConnectionStrings:RandomFit is invalid: Connection string keyword 'data_source' is not supported.",
            StartupFailure.Describe(exception));
    }

    [Fact]
    public void Describe_DatabaseUnreachable_SaysWhy()
    {
        var exception = new Microsoft.Data.Sqlite.SqliteException("SQLite Error 14: 'unable to open database file'.", 14);

        Assert.Equal(
            "The database could not be opened: SQLite Error 14: 'unable to open database file'.",
            StartupFailure.Describe(exception));
    }

    [Fact]
    public void Describe_OtherArgumentException_NotAStartupFailure()
    {
        Assert.Null(StartupFailure.Describe(new ArgumentException("Value cannot be null.")));
    }
}
