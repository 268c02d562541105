using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using RandomFit.Web.Components;

namespace RandomFit.Tests.Components;

public sealed class PagesServicesTests
{
    [Fact]
    public void Snackbar_ShowsAtBottomCenter()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddRandomFitPages();
        using var provider = services.BuildServiceProvider();

        var snackbar = provider.GetRequiredService<IOptions<SnackbarConfiguration>>().Value;

        Assert.Equal(Defaults.Classes.Position.BottomCenter, snackbar.PositionClass);
    }
}
