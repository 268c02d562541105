using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using MudBlazor;
using RandomFit.Training.Models;
using RandomFit.Training.Specs;
using RandomFit.Web.Apis;
using RandomFit.Web.Components.Shared;
using RandomFit.Web.Security;
using RandomFit.Web.Services;

namespace RandomFit.Web.Components.Pages.Experiments.New;

public partial class NewExperiment(
    IExperimentService experiments,
    IOptions<LimitsOptions> limits,
    IDatasetCatalog datasets,
    NavigationManager navigation,
    ISnackbar snackbar)
{
    private ExperimentForm _form = new();
    private FormErrors _errors = FormErrors.None;
    private IReadOnlyList<ParameterCount> _counts = [];
    private RunCount _runCount = RunCount.None;
    private bool _starting;
    private IReadOnlyList<DatasetItem> _datasets = [];
    private IReadOnlyList<string> _queryProblems = [];

    /// <summary>The preset to load first; the first preset when absent or unknown.</summary>
    [SupplyParameterFromQuery(Name = "preset")]
    public string? PresetQuery { get; set; }

    private Preset? SelectedPreset => _form.PresetId is { } id ? Presets.Find(id) : null;

    private IReadOnlyList<KeyValuePair<string, string[]>> OtherErrors => _errors.NotShownBy(FieldPathsOnPage())
        .Where(pair => !IsShownOnConditionRow(pair.Key))
        .ToList();

    protected override async Task OnInitializedAsync()
    {
        _datasets = await datasets.ListAsync(CancellationToken.None);
        var preset = RequestedPreset() ?? Presets.All.FirstOrDefault();
        _form = preset is null ? new ExperimentForm() : ExperimentForm.FromPreset(preset);
        if (preset is null)
        {
            _form.AddModel();
        }

        Validate();
    }

    // An unknown, blank or repeated preset in the opening link loads the first preset, so the address is replaced
    // with the preset shown, without a history entry. The notice stays, because it explains why the address changed.
    // This waits for the first interactive render, because navigating while prerendering would redirect the request.
    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            ReplacePresetQuery();
        }
    }

    /// <summary>
    /// Returns the preset that the <c>preset</c> query parameter names, or null when it is absent or blank. An unknown
    /// or repeated value also returns null and is named in the query notice, so a mistyped link does not silently open
    /// another preset.
    /// </summary>
    private Preset? RequestedPreset()
    {
        var values = QueryHelpers.ParseQuery(navigation.ToAbsoluteUri(navigation.Uri).Query).GetValueOrDefault("preset");
        if (values.Count > 1)
        {
            _queryProblems = [ListFilters.RepeatedProblem("preset", values)];
            return null;
        }

        if (string.IsNullOrWhiteSpace(PresetQuery))
        {
            return null;
        }

        var preset = Presets.Find(PresetQuery);
        if (preset is null)
        {
            var ids = string.Join(", ", Presets.All.Select(candidate => candidate.Id));
            _queryProblems = [$"Ignored preset {EchoedText.Quote(PresetQuery)}: use one of {ids}."];
        }

        return preset;
    }

    private void LoadPreset(Preset preset)
    {
        _form = ExperimentForm.FromPreset(preset);
        Revalidate();
    }

    private void UseDataset(DatasetItem dataset)
    {
        _form.Data.UseDataset(dataset);
        Revalidate();
    }

    private async Task UseUploadedDatasetAsync(DatasetItem dataset)
    {
        _datasets = await datasets.ListAsync(CancellationToken.None);
        UseDataset(dataset);
    }

    // A deleted dataset leaves the list and the selection, so validation reports the missing dataset.
    private async Task DropDeletedDatasetAsync(DatasetItem dataset)
    {
        _datasets = await datasets.ListAsync(CancellationToken.None);
        if (_form.Data.File == dataset.Id)
        {
            _form.Data.File = null;
        }

        Revalidate();
    }

    private void AddModel()
    {
        _form.AddModel();
        Revalidate();
    }

    /// <summary>
    /// Adds an MLP with one hidden layer whose parameter count is the closest possible to model
    /// <paramref name="index"/>'s on the experiment's data, so the two differ in architecture and not in size.
    /// </summary>
    private void AddMatchedMlp(int index)
    {
        var spec = Validate();
        if (CountOf(index).Value is not { } target || spec.Data is null)
        {
            return;
        }

        var name = UniqueModelName($"{_form.Models[index].Name}-matched-mlp");
        _form.Models.Add(ModelForm.FromSpec(MatchedMlp.For(target, spec.Data, name)));
        Revalidate();
    }

    private string UniqueModelName(string name)
    {
        var candidate = name;
        for (var suffix = 2; _form.Models.Any(model => model.Name == candidate); suffix++)
        {
            candidate = $"{name}-{suffix}";
        }

        return candidate;
    }

    private void RemoveModel(int index)
    {
        _form.Models.RemoveAt(index);
        Revalidate();
    }

    private ParameterCount CountOf(int index) => index < _counts.Count ? _counts[index] : ParameterCount.Unknown;

    // Runs after every edit, so the preset chip, the name and the link follow the fields.
    private void Revalidate()
    {
        Validate();
        WritePresetQuery();
    }

    private ExperimentSpec Validate()
    {
        var errors = new Dictionary<string, string[]>();
        var spec = _form.MatchPreset(_form.ToSpec(errors));
        // The API validates with the dataset store too, so file inputs get the same messages here as there.
        foreach (var (path, messages) in SpecValidator.Validate(spec, limits.Value, datasets))
        {
            errors.TryAdd(path, messages);
        }

        if (StackedConflict.Describe(spec) is { } conflict)
        {
            var executionPath = FieldPaths.Training("execution");
            errors[executionPath] = [.. errors.GetValueOrDefault(executionPath) ?? [], conflict];
        }

        _errors = new FormErrors(errors);
        _counts = CountParameters(spec);

        // Seeds that do not parse or are invalid, such as a repeated seed, queue no runs.
        _runCount = RunCount.Of(spec, seedsValid: _errors.For(FieldPaths.Seeds) is null);
        return spec;
    }

    private List<ParameterCount> CountParameters(ExperimentSpec spec)
    {
        var counts = new List<ParameterCount>();
        var models = spec.Models ?? [];
        for (var i = 0; i < models.Count; i++)
        {
            counts.Add(CountParameters(models[i], spec.Data, i));
        }

        return counts;
    }

    private ParameterCount CountParameters(ModelSpec model, DataSpec? data, int index)
    {
        // A count over an invalid shape or layer list would be meaningless, so the first blocking message is shown.
        // Messages on fields the count does not depend on, such as the stacked conflict on batch norm, do not block it.
        var blocking = _errors.All
            .Where(pair => pair.Key.StartsWith(FieldPaths.Model(index), StringComparison.Ordinal)
                || pair.Key.StartsWith("spec.data.shape", StringComparison.Ordinal)
                || pair.Key == FieldPaths.Data("classes"))
            .Where(pair => !UncountedModelFieldNames.Any(field => pair.Key == FieldPaths.Model(index, field)))
            .SelectMany(pair => pair.Value)
            .FirstOrDefault();
        if (blocking is not null || data is null)
        {
            return new ParameterCount(null, blocking ?? "the data shape is missing.");
        }

        try
        {
            return new ParameterCount(ModelBuilder.CountParameters(model, data), null)
            {
                Flops = ModelBuilder.CountFlops(model, data),
            };
        }
        catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
        {
            return new ParameterCount(null, exception.Message);
        }
    }

    private async Task StartAsync()
    {
        var spec = Validate();
        if (!_errors.IsEmpty)
        {
            return;
        }

        _starting = true;
        try
        {
            var created = await experiments.CreateAsync(BuildRequest(spec), CancellationToken.None);
            navigation.NavigateTo(created.Runs.Count == 1 ? created.Runs[0].Url : created.Url);
        }
        catch (RequestValidationException exception)
        {
            _errors = new FormErrors(exception.Errors.ToDictionary(pair => ToSpecPath(pair.Key), pair => pair.Value));
        }
        catch (RunLimitExceededException exception)
        {
            snackbar.Add(exception.Message, Severity.Warning);
        }
        finally
        {
            _starting = false;
        }
    }

    /// <summary>
    /// Sends a preset that the fields still match (apart from name and seeds) by id, so the experiment records which
    /// preset it ran. <paramref name="spec"/> comes from <see cref="Validate"/>, which matched it with the preset.
    /// </summary>
    private CreateExperimentRequest BuildRequest(ExperimentSpec spec)
    {
        if (SelectedPreset is { } preset)
        {
            return new CreateExperimentRequest { Preset = preset.Id, Name = spec.Name, Seeds = spec.Seeds };
        }

        return new CreateExperimentRequest { Spec = spec };
    }

    /// <summary>
    /// Sets the <c>preset</c> query parameter to the preset the fields match, or removes it once they match none, so
    /// a copied link never claims a preset the form has left. The notice about the opening link's preset goes too,
    /// because the value it names is no longer in the address.
    /// </summary>
    private void WritePresetQuery()
    {
        if (ReplacePresetQuery())
        {
            _queryProblems = [];
        }
    }

    /// <summary>
    /// Replaces the address, without a history entry, with one whose <c>preset</c> query parameter names the preset
    /// the fields match, or has none once they match none. Returns whether the address changed.
    /// </summary>
    private bool ReplacePresetQuery()
    {
        var values = QueryHelpers.ParseQuery(navigation.ToAbsoluteUri(navigation.Uri).Query).GetValueOrDefault("preset");
        var current = values.Count == 1 && !string.IsNullOrEmpty(values[0]) ? values[0] : null;
        if (values.Count <= 1 && current == _form.PresetId && (current is not null || values.Count == 0))
        {
            return false;
        }

        // In ASP.NET Core 10, GetUriWithQueryParameter sets every repeat of a parameter to the value, so a link with
        // two presets would keep two. Removing them all first leaves one.
        var withoutPreset = navigation.GetUriWithQueryParameter("preset", (string?)null);
        var target = _form.PresetId is null
            ? withoutPreset
            : navigation.GetUriWithQueryParameters(withoutPreset, new Dictionary<string, object?> { ["preset"] = _form.PresetId });
        navigation.NavigateTo(target, replace: true);
        return true;
    }

    // A preset request reports its name and seeds at the top level; the fields on this page are keyed under spec.
    private static string ToSpecPath(string key) =>
        key == "name" || key.StartsWith("seeds", StringComparison.Ordinal) ? "spec." + key : key;

    // Spec fields with an input on this page, by section. Their messages show at the input, not in the summary.
    private static readonly string[] DataFieldNames =
    [
        "trainSamples", "testSamples", "classes", "inputs", "labels", "corruption", "corruptTest", "pixels",
        "standardize", "file",
    ];

    private static readonly string[] TrainingFieldNames =
    [
        "epochs", "batchSize", "optimizer", "learningRate", "momentum", "weightDecay", "nesterov", "execution",
        "dataSeed", "initSeed", "orderSeed",
    ];

    // Model fields whose messages leave the count valid: it ignores them, or reads batch norm only as on or off.
    private static readonly string[] UncountedModelFieldNames = ["name", "dropout", "init", "batchNorm", "weightDecay"];

    private static readonly string[] ModelFieldNames =
    [
        "name", "kind", "dropout", "init", "batchNorm", "weightDecay", "globalPool", "conv", "dense", "hidden",
    ];

    private List<string> FieldPathsOnPage()
    {
        var paths = new List<string> { FieldPaths.Name, FieldPaths.Seeds };
        paths.AddRange(new[] { "channels", "height", "width" }.Select(FieldPaths.Shape));
        paths.AddRange(DataFieldNames.Select(FieldPaths.Data));
        paths.AddRange(TrainingFieldNames.Select(FieldPaths.Training));
        for (var i = 0; i < _form.Models.Count; i++)
        {
            paths.Add(FieldPaths.Model(i));
            paths.AddRange(ModelFieldNames.Select(field => FieldPaths.Model(i, field)));
            for (var j = 0; j < _form.Models[i].Conv.Count; j++)
            {
                paths.AddRange(new[] { "filters", "kernel", "padding", "pool", "poolSize" }
                    .Select(field => FieldPaths.Conv(i, j, field)));
            }
        }

        return paths;
    }

    private bool IsShownOnConditionRow(string key) =>
        Enumerable.Range(0, _form.Data.Conditions.Count)
            .Any(index => ConditionText.IsPathOf(FieldPaths.Condition(index), key));
}
