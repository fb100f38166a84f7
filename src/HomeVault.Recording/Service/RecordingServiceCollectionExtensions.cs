using HomeVault.Core.Recorder;
using HomeVault.Recording.Cameras;
using HomeVault.Recording.Configuration;
using HomeVault.Recording.Live;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HomeVault.Recording.Service;

public static class RecordingServiceCollectionExtensions
{
    /// <summary>Binds the <c>HomeVault</c> section, validates it on start, and hosts the recorder.</summary>
    public static IServiceCollection AddHomeVaultRecording(this IServiceCollection services, IConfiguration configuration) =>
        services.AddHomeVaultRecording(o => o.Bind(configuration.GetSection(HomeVaultOptions.SectionName)));

    /// <summary>Configures the options with <paramref name="configure"/>, validates them on start, and hosts the recorder and release expiry.</summary>
    public static IServiceCollection AddHomeVaultRecording(this IServiceCollection services, Action<OptionsBuilder<HomeVaultOptions>> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var options = services.AddOptions<HomeVaultOptions>();
        configure(options);
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HomeVaultOptions>, HomeVaultOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SupervisorSettings>();
        // Live view and stills: what the web side asks of the recorder, through Core's interfaces.
        services.TryAddSingleton<LiveFeed>();
        services.TryAddSingleton<ILiveFeed>(sp => sp.GetRequiredService<LiveFeed>());
        services.TryAddSingleton<CameraStills>();
        services.TryAddSingleton<ICameraStills>(sp => sp.GetRequiredService<CameraStills>());
        services.AddHostedService<RecorderService>();
        services.AddHostedService<ReleaseExpiryService>();
        return services;
    }
}
