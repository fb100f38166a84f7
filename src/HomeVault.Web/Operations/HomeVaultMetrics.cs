using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Recorder;
using HomeVault.Core.Replica;
using HomeVault.Web.Hosting;
using Prometheus;

namespace HomeVault.Web.Operations;

/// <summary>
/// `/metrics` (Prometheus text format, prometheus-net): read fresh from the recorder's status and the catalog at each
/// scrape, so the numbers are the same ones the console and `cameras status` show. Counts only: no names of requesters.
/// </summary>
public sealed class HomeVaultMetrics
{
    public HomeVaultMetrics(WebCatalog catalog, ILiveFeed? live = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        var up = factory.CreateGauge("homevault_cameras_up", "Cameras currently recording");
        var configured = factory.CreateGauge("homevault_cameras", "Cameras the recorder supervises");
        var cameraUp = factory.CreateGauge("homevault_camera_up", "1 while the camera is recording", "camera");
        var bytes = factory.CreateGauge("homevault_recorded_bytes", "Bytes recorded since the recorder started", "camera");
        var clips = factory.CreateGauge("homevault_clips_sealed", "Clips sealed since the recorder started", "camera");
        var recorder = factory.CreateGauge("homevault_recorder_up", "1 while the recorder publishes fresh status");
        var requests = factory.CreateGauge("homevault_requests", "Access requests by state", "state");
        var diskFull = factory.CreateGauge("homevault_disk_full", "1 while recording is stopped for lack of space (only footage on legal hold is left to delete)");
        var viewers = factory.CreateGauge("homevault_live_viewers", "Live views open now (over every camera)");
        var lagSeconds = factory.CreateGauge("homevault_replica_lag_seconds", "Seconds since the oldest sealed clip not yet in the off-site bucket ended (0 when none; absent without a running replica)");
        var lagBytes = factory.CreateGauge("homevault_replica_lag_bytes", "Bytes of sealed clips not yet in the off-site bucket");
        var lagClips = factory.CreateGauge("homevault_replica_lag_clips", "Sealed clips not yet in the off-site bucket");
        var neverReplicated = factory.CreateGauge("homevault_replica_never_replicated_clips", "Sealed clips local retention deleted under low free space before the bucket held them");
        Registry.AddBeforeCollectCallback(() =>
        {
            viewers.Set(live?.Subscribers ?? 0);
            if (ReplicaStatusFile.ReadFresh(catalog.Data, catalog.Time.GetUtcNow()) is { } replica)
            {
                lagSeconds.Set(replica.LagSeconds);
                lagBytes.Set(replica.LagBytes);
                lagClips.Set(replica.LagClips);
                neverReplicated.Set(replica.NeverReplicated);
            }
            else
            {
                lagSeconds.Unpublish();
                lagBytes.Unpublish();
                lagClips.Unpublish();
                neverReplicated.Unpublish();
            }
            var status = RecorderStatus.Read(catalog.Data);
            var fresh = RecorderStatus.IsFresh(status, catalog.Time.GetUtcNow());
            recorder.Set(fresh ? 1 : 0);
            var cameras = fresh ? status!.Cameras : [];
            configured.Set(cameras.Count);
            diskFull.Set(fresh && status!.StorageProblem is not null ? 1 : 0);
            up.Set(cameras.Count(c => c.State == CameraState.Recording));
            foreach (var c in cameras)
            {
                cameraUp.WithLabels(c.Name).Set(c.State == CameraState.Recording ? 1 : 0);
                bytes.WithLabels(c.Name).Set(c.Bytes);
                clips.WithLabels(c.Name).Set(c.Clips);
            }
            IReadOnlyList<StoredRequest> all;
            using (var read = catalog.Read())
            {
                all = read.Requests.List();
            }
            var byState = all.GroupBy(r => r.State).ToDictionary(g => g.Key, g => g.Count());
            foreach (var state in Enum.GetValues<RequestState>())
            {
                requests.WithLabels(state.ToDb()).Set(byState.GetValueOrDefault(state));
            }
        });
    }

    public CollectorRegistry Registry { get; }
}
