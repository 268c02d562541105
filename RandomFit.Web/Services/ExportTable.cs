using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RandomFit.Training.Specs;
using RandomFit.Web.Persistence;

namespace RandomFit.Web.Services;

/// <summary>
/// An experiment's epochs flattened to one row per run per epoch, with the run's effective data spec (its
/// condition applied), the training spec and the run's model spec, so a spreadsheet or data frame can group by any
/// field.
/// </summary>
public sealed class ExportTable(IReadOnlyList<IReadOnlyList<object?>> rows)
{
    /// <summary>Column names, shared by the CSV header and the JSON property names.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "experimentId", "experimentName", "runId", "model", "kind", "condition", "seed", "status",
        "epoch", "trainLoss", "trainAccuracy", "testLoss", "testAccuracy", "seconds", "elapsedSeconds",
        "data.channels", "data.height", "data.width", "data.trainSamples", "data.testSamples", "data.classes",
        "data.inputs", "data.labels", "data.corruption", "data.corruptTest", "data.pixels", "data.standardize",
        "data.file",
        "training.epochs", "training.batchSize", "training.optimizer", "training.learningRate",
        "training.momentum", "training.nesterov", "training.weightDecay", "training.execution",
        "training.dataSeed", "training.initSeed", "training.orderSeed",

        // After the older columns, so that a script reading columns by position keeps working.
        "model.conv", "model.dense", "model.hidden", "model.globalPool", "model.dropout", "model.batchNorm",
        "model.init", "model.weightDecay",
    ];

    public IReadOnlyList<IReadOnlyList<object?>> Rows { get; } = rows;

    /// <summary>Builds one row in <see cref="Columns"/> order.</summary>
    public static IReadOnlyList<object?> Row(ExperimentEntity experiment, RunEntity run, ExperimentSpec spec, EpochEntity epoch)
    {
        var model = spec.Models?.FirstOrDefault(m => m.Name == run.Model);
        var data = spec.Data is null ? new DataSpec() : SpecExpansion.DataFor(spec.Data, run.Condition);
        var training = spec.Training ?? new TrainingSpec();
        return
        [
            experiment.Id, experiment.Name, run.Id, run.Model, EnumName(model?.Kind), run.Condition, run.Seed,
            EnumName(run.Status),
            epoch.Epoch, epoch.TrainLoss, epoch.TrainAccuracy, epoch.TestLoss, epoch.TestAccuracy, epoch.Seconds,
            epoch.ElapsedSeconds,
            data.Shape?.Channels, data.Shape?.Height, data.Shape?.Width, data.TrainSamples, data.TestSamples,
            data.Classes, EnumName(data.Inputs), EnumName(data.Labels), data.Corruption, data.CorruptTest,
            EnumName(data.Pixels), data.Standardize, data.File,
            training.Epochs, training.BatchSize, EnumName(training.Optimizer), training.LearningRate,
            training.Momentum, training.Nesterov, training.WeightDecay, EnumName(training.Execution),
            training.DataSeed, training.InitSeed, training.OrderSeed,
            LayerList(model?.Conv), LayerList(model?.Dense), LayerList(model?.Hidden), model?.GlobalPool,
            model?.Dropout, model?.BatchNorm, EnumName(model?.Init),

            // A model without its own weight decay trains with the training value.
            model is null ? null : model.EffectiveWeightDecay(training),
        ];
    }

    // A left-out layer list builds no layers, so it is written as an empty array, like an empty one.
    private static JsonNode LayerList<T>(IReadOnlyList<T>? layers) =>
        JsonSerializer.SerializeToNode(layers ?? [], SpecJson.Options)!;

    /// <summary>Writes the table as CSV: invariant culture, empty cells for null, quoted text where needed.</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder(string.Join(',', Columns)).Append('\n');
        foreach (var row in Rows)
        {
            csv.AppendJoin(',', row.Select(CsvCell)).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>Writes the table as a JSON array of objects keyed by <see cref="Columns"/>.</summary>
    public JsonArray ToJson()
    {
        var array = new JsonArray();
        foreach (var row in Rows)
        {
            var item = new JsonObject();
            for (var i = 0; i < Columns.Count; i++)
            {
                item[Columns[i]] = JsonCell(row[i]);
            }

            array.Add(item);
        }

        return array;
    }

    private static JsonNode? JsonCell(object? value) => value switch
    {
        null => null,
        string text => JsonValue.Create(text),
        bool flag => JsonValue.Create(flag),
        int number => JsonValue.Create(number),
        long number => JsonValue.Create(number),
        double number => JsonValue.Create(number),
        JsonNode node => node.DeepClone(),
        _ => JsonValue.Create(value.ToString()),
    };

    private static string CsvCell(object? value) => value switch
    {
        null => "",
        string text => Quote(DefuseFormula(text)),
        bool flag => flag ? "true" : "false",

        // "R" keeps every digit, so the CSV reproduces the stored doubles exactly.
        double number => number.ToString("R", CultureInfo.InvariantCulture),

        // A layer list is written as its JSON text, such as [64], and quoted because it may contain commas.
        JsonNode node => Quote(node.ToJsonString(SpecJson.Options)),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => Quote(value.ToString() ?? ""),
    };

    // A spreadsheet runs a cell that begins with one of these characters as a formula, and names are free text that
    // anyone who can start runs may set. A leading apostrophe makes such a cell plain text in spreadsheets; the JSON
    // export keeps the text unchanged.
    private static string DefuseFormula(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    private static string Quote(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) < 0 ? text : "\"" + text.Replace("\"", "\"\"") + "\"";

    // Enums are written as the contract's lowercase JSON strings.
    private static string? EnumName<T>(T? value)
        where T : struct, Enum =>
        value is null ? null : JsonSerializer.Serialize(value.Value, SpecJson.Options).Trim('"');

    private static string EnumName<T>(T value)
        where T : struct, Enum => JsonSerializer.Serialize(value, SpecJson.Options).Trim('"');
}
