using AngleSharp.Dom;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using RandomFit.Web.Apis;
using RandomFit.Web.Components.Pages.Claims;
using RandomFit.Web.Security;
using RandomFit.Web.Services;

namespace RandomFit.Tests.Components;

/// <summary>
/// The claims page's Start buttons. With no stored experiments every claim is unmeasured, so each claim shows one.
/// </summary>
public sealed class ClaimsPageTests : ComponentTestBase
{
    private const string FirstStart = "[data-testid=claim-1] [data-testid=start]";

    public ClaimsPageTests()
    {
        Services.AddSingleton<ClaimsService>();
    }

    [Fact]
    public void StartButton_RequestInFlight_DisabledAndStarting()
    {
        var create = new TaskCompletionSource();
        Experiments.CreateGate = create.Task;
        var page = RenderClaims();

        page.Find(FirstStart).Click();
        var first = page.Find(FirstStart);
        var fourth = page.Find("[data-testid=claim-4] [data-testid=start]");

        Assert.Equal("Starting article-example-1 with seeds 0-4…", first.TextContent.Trim());
        Assert.True(first.HasAttribute("disabled"));
        Assert.True(fourth.HasAttribute("disabled"));

        first.Click();
        create.SetResult();

        page.WaitForAssertion(() => Assert.EndsWith("/experiments/e1", Navigation.Uri));
        Assert.Single(Experiments.Requests);
    }

    [Fact]
    public async Task StartHandler_CalledTwiceInFlight()
    {
        // Calls the page's handler directly, as a second click would if the button did not check its own disabled
        // state, so the page does not depend on that check.
        var create = new TaskCompletionSource();
        Experiments.CreateGate = create.Task;
        var page = RenderClaims();
        var start = page.FindComponents<MudButton>()
            .First(button => button.Instance.UserAttributes.TryGetValue("data-testid", out var id) && Equals(id, "start"));

        var firstClick = page.InvokeAsync(() => start.Instance.OnClick.InvokeAsync());
        var secondClick = page.InvokeAsync(() => start.Instance.OnClick.InvokeAsync());
        create.SetResult();
        await Task.WhenAll(firstClick, secondClick);

        var request = Assert.Single(Experiments.Requests);
        Assert.Equal("article-example-1", request.Preset);
        page.WaitForAssertion(() => Assert.EndsWith("/experiments/e1", Navigation.Uri));
    }

    [Fact]
    public void StartButton_AfterStart()
    {
        var page = RenderClaims();

        page.Find(FirstStart).Click();

        page.WaitForAssertion(() => Assert.EndsWith("/experiments/e1", Navigation.Uri));
        var started = page.Find("[data-testid=claim-1] [data-testid=started]");
        Assert.Equal("Started experiment e1, opening it.", Normalized(started));
        Assert.Equal("/experiments/e1", started.QuerySelector("a")?.GetAttribute("href"));
        Assert.Empty(page.FindAll(FirstStart));
        var fourth = page.Find("[data-testid=claim-4] [data-testid=start]");
        Assert.True(fourth.HasAttribute("disabled"));
        fourth.Click();
        Assert.Single(Experiments.Requests);
    }

    [Fact]
    public void StartButton_Rejected_EnabledAgain()
    {
        Experiments.Rejection = new RequestValidationException(new Dictionary<string, string[]>
        {
            ["preset"] = ["The preset no longer validates."],
        });
        var page = RenderClaims();

        page.Find(FirstStart).Click();

        var first = page.Find(FirstStart);
        Assert.Equal("Start article-example-1 with seeds 0-4", first.TextContent.Trim());
        Assert.False(first.HasAttribute("disabled"));
        Assert.Empty(page.FindAll("[data-testid=started]"));
        Assert.EndsWith("/", Navigation.Uri);
    }

    [Fact]
    public void StartButton_RunLimitReached_ShowsWarning()
    {
        var limit = new RunLimitExceededException(limit: 6, remaining: 2, requested: 5, retryAfter: TimeSpan.FromSeconds(30));
        Experiments.Rejection = limit;
        var page = RenderClaims();

        page.Find(FirstStart).Click();

        var snackbar = Assert.Single(Services.GetRequiredService<ISnackbar>().ShownSnackbars);
        Assert.Equal(limit.Message, snackbar.Message);
        Assert.Equal(Severity.Warning, snackbar.Severity);
        Assert.False(page.Find(FirstStart).HasAttribute("disabled"));
    }

    [Fact]
    public void ClaimsPage_SignInRequired()
    {
        UseSignIn("true");

        var page = Render<ClaimsPage>();

        page.WaitForElement("[data-testid=claim-1] [data-testid=sign-in-to-start]");
        Assert.Empty(page.FindAll("[data-testid=start]"));
        Assert.Equal(4, page.FindAll("[data-testid=sign-in-to-start]").Count);
    }

    [Fact]
    public void StartButton_PresetRunsUnfinished_ReadsStartAnother()
    {
        Experiments.Stored["e9"] = TestRuns.Experiment("e9", 2, TestRuns.Create("queued", 0, status: RunStatus.Queued, experimentId: "e9"));

        var page = RenderClaims();

        var startAnother = page.Find("[data-testid=claim-4] [data-testid=start]");
        var first = page.Find(FirstStart);
        Assert.Equal("Start another article-example-3 experiment with seeds 0-4", startAnother.TextContent.Trim());
        Assert.False(startAnother.HasAttribute("disabled"));
        Assert.Equal("Start article-example-1 with seeds 0-4", first.TextContent.Trim());
        Assert.NotNull(page.Find("[data-testid=claim-4] [data-testid=unfinished] a[href='/experiments/e9']"));
    }

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    private IRenderedComponent<ClaimsPage> RenderClaims()
    {
        var page = Render<ClaimsPage>();
        page.WaitForElement(FirstStart);
        return page;
    }

    private static string Normalized(IElement element) =>
        string.Join(" ", element.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
