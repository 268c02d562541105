using Bunit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Scheduling;
using RandomFit.Web.Security;
using RandomFit.Web.Services;

namespace RandomFit.Tests.Components;

/// <summary>A fresh bUnit context per test with MudBlazor, loose JS interop, the real feed and in-memory services.</summary>
public abstract class ComponentTestBase : BunitContext
{
    protected ComponentTestBase()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<IRunEventsFeed>(Feed);
        Services.AddSingleton<TimeProvider>(Clock);
        Services.AddSingleton<IRunService>(Runs);
        Services.AddSingleton<IExperimentService>(Experiments);
        Additions = new InMemoryRunAdditions(Runs);
        Services.AddSingleton<IRunAdditions>(Additions);
        Services.AddSingleton<IDatasetCatalog>(Datasets);
        Services.AddSingleton(Options.Create(new LimitsOptions()));
        Services.AddSingleton(Options.Create(new DatasetLimitsOptions()));
        UseSignIn("false");
    }

    protected RunEventsFeed Feed { get; } = new(NullLogger<RunEventsFeed>.Instance);

    /// <summary>Starts well past zero so a render throttle never mistakes the start for a recent render.</summary>
    protected FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    protected InMemoryRunService Runs { get; } = new();

    protected InMemoryExperimentService Experiments { get; } = new();

    protected InMemoryRunAdditions Additions { get; }

    protected InMemoryDatasetCatalog Datasets { get; } = new();

    /// <summary>Replaces the sign-in setting (<c>RandomFit:Auth:RequireSignIn</c>) before the first render.</summary>
    protected void UseSignIn(string requireSignIn) => Services.AddSingleton(provider => new SignInRequirement(
        Options.Create(new AuthOptions { RequireSignIn = requireSignIn }),
        new ConfigurationBuilder().Build(),
        provider,
        NullLogger<SignInRequirement>.Instance));
}
