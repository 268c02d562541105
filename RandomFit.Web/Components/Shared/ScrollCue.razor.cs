using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace RandomFit.Web.Components.Shared;

/// <summary>
/// A frame around a table that scrolls sideways, which fades the edge past which more columns lie, so a narrow screen
/// shows that the table goes on. The fade at the end disappears once the table is scrolled to its end.
/// </summary>
public partial class ScrollCue
{
    private ElementReference _frame;
    private IJSObjectReference? _module;

    [Parameter, EditorRequired] public RenderFragment? ChildContent { get; set; }

    /// <summary>The frame's <c>data-testid</c>.</summary>
    [Parameter] public string? TestId { get; set; }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        try
        {
            _module = await Js.InvokeAsync<IJSObjectReference>("import", "./scroll-cue.js");
            await _module.InvokeVoidAsync("watchScrollCue", _frame);
        }
        catch (JSDisconnectedException)
        {
            // The tab closed, so there is no table left to watch.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is null)
        {
            return;
        }

        try
        {
            await _module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The tab closed, which released the module already.
        }
    }
}
