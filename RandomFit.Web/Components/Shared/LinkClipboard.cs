using Microsoft.JSInterop;
using MudBlazor;

namespace RandomFit.Web.Components.Shared;

/// <summary>Copies a page's link to the browser's clipboard for the pages' Copy link buttons.</summary>
public static class LinkClipboard
{
    /// <summary>
    /// Writes <paramref name="link"/> to the clipboard and reports the outcome in a snackbar. Browsers offer the
    /// clipboard only on HTTPS and localhost pages, so the write fails on a server reached over plain HTTP by name.
    /// The snackbar then shows the link to copy by hand, and the circuit stays up. Returns the snackbar, or null when
    /// MudBlazor did not show it, so the page can remove it once the user leaves the page the link is about.
    /// </summary>
    public static async Task<Snackbar?> CopyAsync(IJSRuntime js, ISnackbar snackbar, string link)
    {
        try
        {
            await js.InvokeVoidAsync("navigator.clipboard.writeText", link);
            return snackbar.Add("Link copied.", Severity.Success);
        }
        catch (JSException)
        {
            return snackbar.Add(
                $"Could not copy the link, because this browser allows the clipboard only on HTTPS and localhost pages. Copy it from here: {link}",
                Severity.Warning);
        }
    }
}

/// <summary>
/// The snackbar of a page's last Copy link, which the page removes when the user leaves it or it shows another item,
/// because the link the message confirms or shows is that page's.
/// </summary>
public sealed class CopiedLinkMessage(IJSRuntime js, ISnackbar snackbar)
{
    private Snackbar? _message;

    /// <summary>Copies <paramref name="link"/> as <see cref="LinkClipboard.CopyAsync"/> does, replacing the last message.</summary>
    public async Task CopyAsync(string link)
    {
        Remove();
        _message = await LinkClipboard.CopyAsync(js, snackbar, link);
    }

    /// <summary>Removes the last message from the screen.</summary>
    public void Remove()
    {
        if (_message is not null)
        {
            snackbar.Remove(_message);
            _message = null;
        }
    }
}
