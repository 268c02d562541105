using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using RandomFit.Training.Analysis;
using RandomFit.Web.Apis;
using RandomFit.Web.Services;

namespace RandomFit.Web.Components.Pages.Claims;

public partial class ClaimsPage(
    ClaimsService claims, IExperimentService experiments, NavigationManager navigation, ISnackbar snackbar)
{
    private readonly Dictionary<string, UnfinishedRuns> _unfinished = [];
    private IReadOnlyList<ClaimItem>? _claims;
    private bool _starting;

    protected override async Task OnInitializedAsync()
    {
        _claims = await claims.EvaluateAsync(CancellationToken.None);

        // A verdict counts completed runs only, so the page names the experiments whose runs are still to finish.
        foreach (var preset in _claims.Select(claim => claim.Preset).Distinct())
        {
            var page = await experiments.ListAsync(new ExperimentQuery(Preset: preset, PageSize: 500), CancellationToken.None);
            var active = page.Items.Where(item => item.QueuedCount + item.RunningCount > 0).ToList();
            if (active.Count > 0)
            {
                _unfinished[preset] = new UnfinishedRuns(active.Sum(item => item.QueuedCount + item.RunningCount), active[0]);
            }
        }
    }

    private async Task StartAsync(int claimNumber)
    {
        _starting = true;
        try
        {
            var experimentId = await claims.StartAsync(claimNumber, CancellationToken.None);
            navigation.NavigateTo($"/experiments/{experimentId}");
        }
        catch (RequestValidationException exception)
        {
            snackbar.Add(string.Join(" ", exception.Errors.SelectMany(e => e.Value)), Severity.Error);
        }
        finally
        {
            _starting = false;
        }
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string IntervalText(ClaimMeasurement measured) =>
        measured.CiLow is { } low && measured.CiHigh is { } high
            ? $", 95% interval [{Claim.FormatMeasured(low)}, {Claim.FormatMeasured(high)}]"
            : "";

    private static string VerdictText(ClaimVerdict verdict) => verdict switch
    {
        ClaimVerdict.Supported => "Supported",
        ClaimVerdict.Refuted => "Refuted",
        _ => "Inconclusive",
    };

    private static Color VerdictColor(ClaimVerdict verdict) => verdict switch
    {
        ClaimVerdict.Supported => Color.Success,
        ClaimVerdict.Refuted => Color.Error,
        _ => Color.Default,
    };

    /// <summary>The queued and running runs of a preset's experiments, and the newest experiment that has some.</summary>
    private sealed record UnfinishedRuns(int Count, ExperimentItem Newest);
}
