using RandomFit.Training.Specs;

namespace RandomFit.Web.Components.Pages.Experiments.New;

/// <summary>Editable fields of one model.</summary>
public sealed class ModelForm
{
    private ModelSpec _source = new();

    public string Name { get; set; } = "";
    public ModelKind? Kind { get; set; }
    public List<ConvForm> Conv { get; } = [];
    public string Dense { get; set; } = "";
    public string Hidden { get; set; } = "";
    public double Dropout { get; set; }
    public bool BatchNorm { get; set; }
    public InitKind Init { get; set; }
    public bool GlobalPool { get; set; }

    /// <summary>This model's weight decay, or null to use the training value.</summary>
    public double? WeightDecay { get; set; }

    public static ModelForm FromSpec(ModelSpec model)
    {
        var form = new ModelForm
        {
            _source = model,
            Name = model.Name ?? "",
            Kind = model.Kind,
            Dense = WidthList.Format(model.Dense),
            Hidden = WidthList.Format(model.Hidden),
            Dropout = model.Dropout,
            BatchNorm = model.BatchNorm,
            Init = model.Init,
            GlobalPool = model.GlobalPool,
            WeightDecay = model.WeightDecay,
        };
        form.Conv.AddRange((model.Conv ?? []).Select(ConvForm.FromSpec));
        return form;
    }

    public void AddConv() => Conv.Add(new ConvForm { Filters = 32, Kernel = 3 });

    public ModelSpec ToSpec(int index, Dictionary<string, string[]> parseErrors)
    {
        // An MLP carries no conv blocks or global pooling, even when the model was a CNN before its kind changed.
        var isCnn = Kind == ModelKind.Cnn;
        IReadOnlyList<ConvSpec>? conv = isCnn ? Conv.Select(block => block.ToSpec()).ToList() : null;
        return _source with
        {
            Name = Name,
            Kind = Kind,
            Conv = conv,
            Dense = ParseWidths(Dense, _source.Dense, FieldPaths.Dense(index), parseErrors),
            Hidden = ParseWidths(Hidden, _source.Hidden, FieldPaths.Hidden(index), parseErrors),
            Dropout = Dropout,
            BatchNorm = BatchNorm,
            Init = Init,
            GlobalPool = isCnn && GlobalPool,
            WeightDecay = WeightDecay,
        };
    }

    private static IReadOnlyList<int>? ParseWidths(
        string text,
        IReadOnlyList<int>? source,
        string path,
        Dictionary<string, string[]> parseErrors)
    {
        var widths = WidthList.Parse(text, out var error);
        if (error is not null)
        {
            parseErrors[path] = [error];
            return source;
        }

        return widths;
    }
}

/// <summary>Editable fields of one conv block.</summary>
public sealed class ConvForm
{
    public int? Filters { get; set; }
    public int? Kernel { get; set; }
    public Padding Padding { get; set; }
    public PoolKind Pool { get; set; }
    public int PoolSize { get; set; } = 2;

    public static ConvForm FromSpec(ConvSpec conv) => new()
    {
        Filters = conv.Filters,
        Kernel = conv.Kernel,
        Padding = conv.Padding,
        Pool = conv.Pool,
        PoolSize = conv.PoolSize,
    };

    public ConvSpec ToSpec() => new()
    {
        Filters = Filters,
        Kernel = Kernel,
        Padding = Padding,
        Pool = Pool,
        PoolSize = PoolSize,
    };
}
