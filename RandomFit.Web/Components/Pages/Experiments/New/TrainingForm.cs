using RandomFit.Training.Specs;

namespace RandomFit.Web.Components.Pages.Experiments.New;

/// <summary>Editable training fields.</summary>
public sealed class TrainingForm
{
    private TrainingSpec _source = new();

    public int? Epochs { get; set; }
    public int BatchSize { get; set; } = 32;
    public OptimizerKind Optimizer { get; set; }
    public double LearningRate { get; set; } = 0.001;
    public double Momentum { get; set; }
    public bool Nesterov { get; set; }
    public double WeightDecay { get; set; }
    public ExecutionMode Execution { get; set; }

    /// <summary>A fixed seed for the generated data, or null to use each run's seed.</summary>
    public int? DataSeed { get; set; }

    /// <summary>A fixed seed for the initial weights, or null to use each run's seed.</summary>
    public int? InitSeed { get; set; }

    /// <summary>A fixed seed for the batch order, or null to use each run's seed.</summary>
    public int? OrderSeed { get; set; }

    public void Load(TrainingSpec training)
    {
        _source = training;
        Epochs = training.Epochs;
        BatchSize = training.BatchSize;
        Optimizer = training.Optimizer;
        LearningRate = training.LearningRate;
        Momentum = training.Momentum;
        Nesterov = training.Nesterov;
        WeightDecay = training.WeightDecay;
        Execution = training.Execution;
        DataSeed = training.DataSeed;
        InitSeed = training.InitSeed;
        OrderSeed = training.OrderSeed;
    }

    public TrainingSpec ToSpec() => _source with
    {
        Epochs = Epochs,
        BatchSize = BatchSize,
        Optimizer = Optimizer,
        LearningRate = LearningRate,
        Momentum = Momentum,
        Nesterov = Nesterov,
        WeightDecay = WeightDecay,
        Execution = Execution,
        DataSeed = DataSeed,
        InitSeed = InitSeed,
        OrderSeed = OrderSeed,
    };
}
