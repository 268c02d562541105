using System.Text.Json;
using RandomFit.Training.Specs;
using RandomFit.Web.Services;

namespace RandomFit.Web.Components.Pages.Compare;

/// <summary>The spec a run trained with, flattened to named text fields that can be compared across runs.</summary>
public static class SpecFields
{
    public static IReadOnlyList<(string Name, string Value)> Of(ExperimentSpec spec, string model, string? condition)
    {
        var data = spec.Data is null ? new DataSpec() : SpecExpansion.DataFor(spec.Data, condition);
        var training = spec.Training ?? new TrainingSpec();
        var variant = spec.Models?.FirstOrDefault(m => m.Name == model) ?? new ModelSpec();
        return
        [
            ("model.kind", Text(variant.Kind)),
            ("model.conv", ListText(variant.Conv)),
            ("model.dense", ListText(variant.Dense)),
            ("model.hidden", ListText(variant.Hidden)),
            ("model.globalPool", Text(variant.GlobalPool)),
            ("model.dropout", Text(variant.Dropout)),
            ("model.batchNorm", Text(variant.BatchNorm)),
            ("model.init", Text(variant.Init)),
            // A model without its own weight decay uses the training value, so the effective value is compared.
            ("model.weightDecay", Text(variant.WeightDecay ?? training.WeightDecay)),
            ("data.shape", $"{data.Shape?.Channels}x{data.Shape?.Height}x{data.Shape?.Width}"),
            ("data.trainSamples", Text(data.TrainSamples)),
            ("data.testSamples", Text(data.TestSamples)),
            ("data.classes", Text(data.Classes)),
            ("data.inputs", Text(data.Inputs)),
            ("data.labels", Text(data.Labels)),
            ("data.corruption", Text(data.Corruption)),
            ("data.corruptTest", Text(data.CorruptTest)),
            ("data.pixels", Text(data.Pixels)),
            ("data.standardize", Text(data.Standardize)),
            ("data.file", Text(data.File)),
            ("training.epochs", Text(training.Epochs)),
            ("training.batchSize", Text(training.BatchSize)),
            ("training.optimizer", Text(training.Optimizer)),
            ("training.learningRate", Text(training.LearningRate)),
            ("training.momentum", Text(training.Momentum)),
            ("training.nesterov", Text(training.Nesterov)),
            ("training.weightDecay", Text(training.WeightDecay)),
            ("training.execution", Text(training.Execution)),
            // Null means the run's own seed, which the seed row shows.
            ("training.dataSeed", Text(training.DataSeed)),
            ("training.initSeed", Text(training.InitSeed)),
            ("training.orderSeed", Text(training.OrderSeed)),
        ];
    }

    // A left-out layer list builds no layers, the same as an empty one, so both read "[]" and never differ.
    private static string ListText<T>(IReadOnlyList<T>? list) => Text(list ?? []);

    // The contract's JSON form, so enums read as lowercase names and lists as arrays. Real numbers read as on the
    // other pages, such as 1e-6 where JSON writes 1E-06.
    private static string Text<T>(T value) => value switch
    {
        null => "–",
        double number => SpecNumber.Format(number),
        _ => JsonSerializer.Serialize(value, SpecJson.Options).Trim('"'),
    };
}
