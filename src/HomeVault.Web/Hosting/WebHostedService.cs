using System.Text.Json;
using HomeVault.Core;
using HomeVault.Core.Clips;
using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.IO;
using HomeVault.Core.Recorder;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HomeVault.Web.Hosting;

/// <summary>
/// Runs the web side inside `homevault serve`, beside the recorder: starts both listeners, logs and publishes their
/// bound addresses in status/http.json (so a port 0 in the configuration can be found), stops with the host.
/// </summary>
public sealed partial class WebHostedService(WebOptions options, string dataDirectory, IReleaseMedia releaseMedia, IFootageExport footageExport, Action<ILoggingBuilder> logging, ILogger<WebHostedService> log,
    (ILiveFeed Feed, ICameraStills Stills)? live = null)
    : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _app = HomeVaultWebApp.Build(options, dataDirectory, releaseMedia, footageExport, logging: logging, live: live);
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        var listeners = _app.Services.GetRequiredService<WebListeners>();
        var intake = listeners.Urls(Listener.Intake).Select(u => u.ToString()).ToList();
        var console = listeners.Urls(Listener.Console).Select(u => u.ToString()).ToList();
        var intakeText = string.Join(" ", intake);
        var consoleText = string.Join(" ", console);
        LogListening(log, intakeText, consoleText);
        var status = new DataDirectory(dataDirectory).StatusDir;
        try
        {
            Durable.CreatePrivateDirectory(status);
            OwnerOnly.Replace(Path.Combine(status, "http.json"), AddressesJson(intake, console));
        }
        catch (IOException ex) when (DiskFull.Is(ex))
        {
            // The addresses are in the log line above; a full disk is no reason to stop serving.
            LogAddressesNotWritten(log, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "status/http.json not written: {Error}")]
    private static partial void LogAddressesNotWritten(ILogger logger, string error);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary><c>{"intake":[...],"console":[...]}</c>, written without reflection (the service is a native build).</summary>
    internal static byte[] AddressesJson(IEnumerable<string> intake, IEnumerable<string> console)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            WriteArray(w, "intake", intake);
            WriteArray(w, "console", console);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();

        static void WriteArray(Utf8JsonWriter w, string name, IEnumerable<string> values)
        {
            w.WriteStartArray(name);
            foreach (var v in values)
            {
                w.WriteStringValue(v);
            }
            w.WriteEndArray();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "HTTP intake on {Intake}; owners' console on {Console}")]
    private static partial void LogListening(ILogger logger, string intake, string console);
}
