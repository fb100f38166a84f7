namespace HomeVault.Web.Tests;

/// <summary>
/// One started web host for a whole test class whose tests do not disturb each other (each submits its own
/// request and looks only at what it submitted): making a data directory costs two scrypt unlocks.
/// </summary>
public sealed class SharedWebHost : IAsyncLifetime
{
    internal WebHost Host { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Host = await WebHost.StartAsync();

    public async ValueTask DisposeAsync() => await Host.DisposeAsync();
}
