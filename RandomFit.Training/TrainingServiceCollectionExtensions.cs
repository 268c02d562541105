using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RandomFit.Training.Devices;
using RandomFit.Training.Specs;
using RandomFit.Training.Training;

namespace RandomFit.Training;

/// <summary>Registration of the training services.</summary>
public static class TrainingServiceCollectionExtensions
{
    /// <summary>Adds options bound from <c>RandomFit:Training</c> and <c>RandomFit:Limits</c>, the device selector and the trainer.</summary>
    public static IServiceCollection AddRandomFitTraining(this IServiceCollection services)
    {
        services.AddOptions<TrainingOptions>().BindConfiguration(TrainingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<DeviceSelector>();
        services.TryAddSingleton<Trainer>();
        return services;
    }
}
