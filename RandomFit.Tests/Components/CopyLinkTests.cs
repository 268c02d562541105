using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;
using MudBlazor;
using RandomFit.Web.Components.Pages.Compare;
using RandomFit.Web.Components.Pages.Experiments;
using RandomFit.Web.Components.Pages.Runs;
using static RandomFit.Tests.Components.GridFixtures;

namespace RandomFit.Tests.Components;

/// <summary>
/// The Copy link buttons where the browser offers no clipboard, as on a server reached over plain HTTP by name:
/// the page stays up and shows the link to copy by hand.
/// </summary>
public sealed class CopyLinkTests : ComponentTestBase
{
    public CopyLinkTests()
    {
        Store(Experiments, Runs, "e1", Spec(), Run("a1", "e1", "cnn", 0, Epoch(1, 0.5)), Run("b1", "e1", "mlp", 0, Epoch(1, 0.7)));
        JSInterop.SetupVoid("navigator.clipboard.writeText", _ => true)
            .SetException(new JSException("Cannot read properties of undefined (reading 'writeText')"));
    }

    private string ShownMessage() => Assert.Single(Services.GetRequiredService<ISnackbar>().ShownSnackbars).Message ?? "";

    private void ClickCopyLink<TPage>(IRenderedComponent<TPage> page)
        where TPage : IComponent
    {
        page.WaitForElement("[data-testid=copy-link]").Click();
        Assert.False(Renderer.UnhandledException.IsCompleted, "Copy link without a clipboard ended the circuit.");
    }

    [Fact]
    public void ExperimentPage_NoClipboard_ShowsLink()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/experiments/e1?metric=testLoss");
        var page = Render<ExperimentPage>(parameters => parameters.Add(p => p.Id, "e1"));

        ClickCopyLink(page);

        Assert.Contains("http://localhost/experiments/e1?metric=testLoss&x=epoch&smooth=0&group=seed-cohort", ShownMessage());
    }

    [Fact]
    public void ComparePage_NoClipboard_ShowsLink()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/compare?runs=a1,b1&x=seconds");
        var page = Render<ComparePage>();

        ClickCopyLink(page);

        Assert.Contains("http://localhost/compare?runs=a1,b1&metric=trainAccuracy&x=seconds", ShownMessage());
    }

    [Fact]
    public void CopyLink_GroupInCompareQuery()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/compare?runs=a1,b1&group=none");
        var page = Render<ComparePage>();

        ClickCopyLink(page);

        var message = ShownMessage();
        Assert.Contains("http://localhost/compare?runs=a1,b1&metric=trainAccuracy&x=epoch&smooth=0", message);
        Assert.DoesNotContain("group", message);
    }

    [Fact]
    public void RunPage_NoClipboard_ShowsLink()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/runs/a1?smooth=0.5");
        var page = Render<RunPage>(parameters => parameters.Add(p => p.Id, "a1"));

        ClickCopyLink(page);

        var message = ShownMessage();
        Assert.Contains("http://localhost/runs/a1?smooth=0.5", message);
        Assert.DoesNotContain("writeText", message);
    }

    [Fact]
    public void RunPage_CopyLink_LeavesOutIgnoredParameters()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/runs/a1?group=none&metric=testLoss&x=steps&smooth=0.5");
        var page = Render<RunPage>(parameters => parameters.Add(p => p.Id, "a1"));

        ClickCopyLink(page);

        var message = ShownMessage();
        Assert.Contains("http://localhost/runs/a1?metric=testLoss&smooth=0.5", message);
        Assert.DoesNotContain("group", message);
        Assert.DoesNotContain("steps", message);
    }

    // Leaving a page disposes it, and the message about its link closes with it rather than lying over the next page.
    [Fact]
    public void ExperimentPage_Disposed_RemovesLinkMessage()
    {
        var page = Render<ExperimentPage>(parameters => parameters.Add(p => p.Id, "e1"));
        ClickCopyLink(page);
        Assert.Contains("http://localhost/experiments/e1", ShownMessage());

        page.Instance.Dispose();

        Assert.Empty(Services.GetRequiredService<ISnackbar>().ShownSnackbars);
    }

    [Fact]
    public void ComparePage_Disposed_RemovesLinkMessage()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/compare?runs=a1,b1");
        var page = Render<ComparePage>();
        ClickCopyLink(page);
        Assert.Contains("http://localhost/compare?runs=a1,b1", ShownMessage());

        page.Instance.Dispose();

        Assert.Empty(Services.GetRequiredService<ISnackbar>().ShownSnackbars);
    }

    [Fact]
    public void RunPage_Disposed_RemovesLinkMessage()
    {
        var page = Render<RunPage>(parameters => parameters.Add(p => p.Id, "a1"));
        ClickCopyLink(page);
        Assert.Contains("http://localhost/runs/a1", ShownMessage());

        page.Instance.Dispose();

        Assert.Empty(Services.GetRequiredService<ISnackbar>().ShownSnackbars);
    }
}
