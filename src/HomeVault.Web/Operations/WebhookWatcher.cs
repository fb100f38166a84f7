using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Recorder;
using HomeVault.Core.Replica;
using HomeVault.Web.Hosting;
using Microsoft.Extensions.Hosting;

namespace HomeVault.Web.Operations;

/// <summary>
/// Turns state into webhook events once each: a camera entering a fault state (backoff or failed), the replica falling
/// behind by more than its <see cref="ReplicaOptions.AlertLagSeconds"/> and catching up again (under half of it, so a
/// lag hovering at the limit does not flap), looked at as often as the recorder publishes its status; and every
/// <see cref="RequestsEvery"/>, an approved or released request whose release expires within a day.
/// </summary>
public sealed class WebhookWatcher(WebOptions options, WebCatalog catalog, Webhooks hooks) : BackgroundService
{
    public static readonly TimeSpan Every = RecorderStatus.PublishEvery;
    public static readonly TimeSpan RequestsEvery = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ExpiringWithin = TimeSpan.FromDays(1);

    private readonly Dictionary<string, CameraState> _lastState = new(StringComparer.Ordinal);
    private readonly HashSet<string> _expiringSent = new(StringComparer.Ordinal);
    private bool _replicaLagging;
    private long? _requestsChecked;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Webhooks.Count == 0)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            Check();
            await Task.Delay(Every, catalog.Time, stoppingToken).ConfigureAwait(false);
        }
    }

    internal void Check()
    {
        var now = catalog.Time.GetUtcNow();
        CheckCameras(now);
        CheckReplica(now);
        if (_requestsChecked is not { } last || catalog.Time.GetElapsedTime(last) >= RequestsEvery)
        {
            _requestsChecked = catalog.Time.GetTimestamp();
            CheckRequests(now);
        }
    }

    private void CheckCameras(DateTimeOffset now)
    {
        if (RecorderStatus.Read(catalog.Data) is not { } status || !RecorderStatus.IsFresh(status, now))
        {
            return;
        }
        foreach (var c in status.Cameras)
        {
            var fault = IsFault(c.State);
            var wasFault = _lastState.TryGetValue(c.Name, out var before) && IsFault(before);
            if (fault && !wasFault)
            {
                hooks.CameraFault(c.Name, c.State == CameraState.DiskFull && status.StorageProblem is { } problem
                    ? problem
                    : c.State.ToString().ToLowerInvariant());
            }
            _lastState[c.Name] = c.State;
        }
    }

    private void CheckReplica(DateTimeOffset now)
    {
        if (ReplicaStatusFile.ReadFresh(catalog.Data, now) is not { AlertLagSeconds: > 0 } replica)
        {
            return;
        }
        var lagging = replica.LagSeconds > (_replicaLagging ? replica.AlertLagSeconds / 2.0 : replica.AlertLagSeconds);
        if (lagging == _replicaLagging)
        {
            return;
        }
        _replicaLagging = lagging;
        if (lagging)
        {
            hooks.ReplicaLagging(replica.LagSeconds, replica.LagClips, replica.LagBytes);
        }
        else
        {
            hooks.ReplicaCaughtUp(replica.LagSeconds);
        }
    }

    private void CheckRequests(DateTimeOffset now)
    {
        IReadOnlyList<StoredRequest> requests;
        using (var read = catalog.Read())
        {
            requests = read.Requests.List();
        }
        foreach (var r in requests.Where(r => r.State is RequestState.Approved or RequestState.Released))
        {
            if (r.Approved?.ReleaseExpires is { } expires && expires - now < ExpiringWithin && expires > now && _expiringSent.Add(r.Id))
            {
                hooks.ReleaseExpiring(r.Id, expires);
            }
        }
    }

    private static bool IsFault(CameraState state) => state is CameraState.Backoff or CameraState.Failed or CameraState.DiskFull;
}
