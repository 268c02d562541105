using System.Globalization;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using RandomFit.Training.Analysis;
using RandomFit.Web.Apis;
using RandomFit.Web.Security;
using RandomFit.Web.Services;

namespace RandomFit.Web.Components.Pages.Claims;

public partial class ClaimsPage(
    ClaimsService claims, IExperimentService experiments, NavigationManager navigation, ISnackbar snackbar)
{
    private readonly Dictionary<string, UnfinishedRuns> _unfinished = [];
    private IReadOnlyList<ClaimItem>? _claims;
    private int? _startingClaim;
    private StartedExperiment? _started;

    private bool StartDisabled => _startingClaim is not null || _started is not null;

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

    private async Task StartAsync(ClaimItem claim)
    {
        // The page stays until the browser has followed the navigation, so a click that arrives while a start is in
        // flight or after it has succeeded starts nothing.
        if (StartDisabled)
        {
            return;
        }

        _startingClaim = claim.Number;
        try
        {
            var experimentId = await claims.StartAsync(claim.Number, CancellationToken.None);
            _started = new StartedExperiment(claim.Number, experimentId, $"/experiments/{experimentId}");
            navigation.NavigateTo(_started.Url);
        }
        catch (RequestValidationException exception)
        {
            snackbar.Add(string.Join(" ", exception.Errors.SelectMany(e => e.Value)), Severity.Error);
        }
        catch (RunLimitExceededException exception)
        {
            snackbar.Add(exception.Message, Severity.Warning);
        }
        finally
        {
            _startingClaim = null;
        }
    }

    // Runs of the preset still queued or running belong to an earlier experiment, so a start adds another one.
    private string StartLabel(ClaimItem claim)
    {
        if (_startingClaim == claim.Number)
        {
            return $"Starting {claim.Preset} with seeds 0-4…";
        }

        return _unfinished.ContainsKey(claim.Preset)
            ? $"Start another {claim.Preset} experiment with seeds 0-4"
            : $"Start {claim.Preset} with seeds 0-4";
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

    /// <summary>The experiment a Start button created, shown by its claim until the browser opens it.</summary>
    private sealed record StartedExperiment(int ClaimNumber, string ExperimentId, string Url);

    /// <summary>The queued and running runs of a preset's experiments, and the newest experiment that has some.</summary>
    private sealed record UnfinishedRuns(int Count, ExperimentItem Newest);
}
