using HomeVault.Recording.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HomeVault.Recording.Cameras;

public static class RecordingServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates (on start) the <c>HomeVault</c> section and hosts the recorder. The caller
    /// registers <see cref="Clips.IClipSink"/> and <see cref="Clips.IRecordingJournal"/>.
    /// </summary>
    public static IServiceCollection AddHomeVaultRecording(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HomeVaultOptions>()
            .Bind(configuration.GetSection(HomeVaultOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HomeVaultOptions>, HomeVaultOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SupervisorSettings>();
        services.AddSingleton<RecordingService>();
        services.AddHostedService(sp => sp.GetRequiredService<RecordingService>());
        return services;
    }
}
