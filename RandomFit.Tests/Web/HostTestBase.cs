namespace RandomFit.Tests.Web;

/// <summary>
/// A test class with its own <see cref="RandomFitHostFactory"/> and an HTTP client for it. xUnit creates the class
/// once per test, so each test starts a host on a new database, and both are disposed after the test.
/// </summary>
public abstract class HostTestBase(IDictionary<string, string?>? settings = null) : IAsyncLifetime
{
    protected RandomFitHostFactory Host { get; } = new(settings: settings);

    /// <summary>A client of <see cref="Host"/>. Creating it starts the host, which applies the migrations.</summary>
    protected HttpClient Client { get; private set; } = null!;

    protected static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public virtual ValueTask InitializeAsync()
    {
        Client = Host.CreateClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
