using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using RandomFit.Tests.Training;
using RandomFit.Web.Components.Layout;

namespace RandomFit.Tests.Components;

/// <summary>The layout following the system's colour scheme when the user has chosen no theme.</summary>
[Collection(TorchCollection.Name)]
public sealed class MainLayoutThemeTests : ComponentTestBase
{
    public MainLayoutThemeTests()
    {
        // The app bar shows the training device, which resolves libtorch once.
        Services.AddSingleton(TrainingHarness.CreateDevices());
    }

    [Fact]
    public void SystemSchemeChange_WhileCookieStored_Applied()
    {
        JSInterop.Setup<bool>("mudThemeProvider.isDarkMode").SetResult(false);
        var module = JSInterop.SetupModule("./theme.js");
        var storeCookie = module.SetupVoid("storeThemeCookie", _ => true);

        var layout = Render<MainLayout>(parameters => parameters.Add(p => p.Body, (RenderFragment)(_ => { })));

        // The first read found the light scheme, and its cookie is still being stored when the system turns dark.
        // MudThemeProvider listens to the browser's scheme from its first render and passes each change on to the
        // callbacks registered by then.
        var provider = layout.FindComponent<MudThemeProvider>().Instance;
        layout.WaitForAssertion(() => Assert.NotEmpty(storeCookie.Invocations));
        Assert.Contains(JSInterop.Invocations, invocation => invocation.Identifier == "mudThemeProvider.watchDarkMode");
        layout.InvokeAsync(() => provider.SystemDarkModeChangedAsync(true));
        storeCookie.SetVoidResult();

        layout.WaitForAssertion(() => Assert.Equal("dark", layout.Find("[data-testid=theme-toggle]").GetAttribute("data-theme")));
    }

    [Fact]
    public void SystemScheme_StaleFirstRead_KeepsChange()
    {
        JSInterop.Setup<bool>("mudThemeProvider.isDarkMode").SetResult(false);
        var module = JSInterop.SetupModule("./theme.js");
        var storeLight = module.SetupVoid("storeThemeCookie", invocation => Equals(invocation.Arguments[1], "light"));
        var storeDark = module.SetupVoid("storeThemeCookie", invocation => Equals(invocation.Arguments[1], "dark"));

        var layout = Render<MainLayout>(parameters => parameters.Add(p => p.Body, (RenderFragment)(_ => { })));

        // The first read's light cookie is stored only after the change to dark has stored its own.
        var provider = layout.FindComponent<MudThemeProvider>().Instance;
        layout.WaitForAssertion(() => Assert.NotEmpty(storeLight.Invocations));
        layout.InvokeAsync(() => provider.SystemDarkModeChangedAsync(true));
        layout.WaitForAssertion(() => Assert.NotEmpty(storeDark.Invocations));
        storeDark.SetVoidResult();
        storeLight.SetVoidResult();

        layout.WaitForAssertion(() => Assert.Equal("dark", layout.Find("[data-testid=theme-toggle]").GetAttribute("data-theme")));
    }
}
