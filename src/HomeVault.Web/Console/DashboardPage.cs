using System.Text;
using HomeVault.Core.Audit;
using HomeVault.Core.Recorder;
using HomeVault.Core.Replica;
using HomeVault.Web.Hosting;
using HomeVault.Web.Operations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using static HomeVault.Web.Console.Html;

namespace HomeVault.Web.Console;

/// <summary>Cameras and their health, storage and the retention horizon, the last signed checkpoint.</summary>
internal static class DashboardPage
{
    public static void Map(RouteGroupBuilder routes) => routes.MapGet("", Render);

    private static IResult Render(HttpContext context, WebCatalog catalog)
    {
        var now = catalog.Time.GetUtcNow();
        var status = RecorderStatus.Read(catalog.Data);
        var fresh = RecorderStatus.IsFresh(status, now);
        IReadOnlyList<FootageSummary> footage;
        SignedCheckpoint? checkpoint;
        int pending;
        using (var read = catalog.Read())
        {
            (footage, checkpoint, pending) = (FootageSummary.Query(read.Connection), read.Audit.LatestCheckpoint(), read.Requests.List(Core.Disclosure.Requests.RequestState.Pending).Count);
        }
        var body = new StringBuilder();
        body.Append(fresh
            ? $"<p class=\"ok\" id=\"recorder\">Recorder running (status {E(Time(status!.Written))}).</p>"
            : "<p class=\"bad\" id=\"recorder\">The recorder is not publishing status: it is stopped or stuck.</p>");
        if (pending > 0)
        {
            body.Append($"<p class=\"note\"><a href=\"/console/requests\">{E(pending)} pending access request(s)</a> await a decision.</p>");
        }
        if (fresh && status!.StorageProblem is { } problem)
        {
            body.Append($"<p class=\"bad\" id=\"storage-problem\">Not recording: {E(problem)}</p>");
        }
        if (ReplicaStatusFile.ReadFresh(catalog.Data, now) is { } replica)
        {
            var lag = replica.LagSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
            body.Append($"<p class=\"{(replica.LastError is null ? "ok" : "warn")}\" id=\"replica\">Off-site replica: {E(replica.LagClips)} clip(s), {E(Bytes(replica.LagBytes))}, {E(lag)} s behind")
                .Append(replica.NeverReplicated > 0 ? $"; {E(replica.NeverReplicated)} clip(s) deleted locally under low free space before they were replicated" : "")
                .Append(replica.LastError is { } error ? $"; last error: {E(error)}.</p>" : ".</p>");
        }
        body.Append(LivePages.Stills(fresh ? status!.Cameras.Select(c => c.Name) : []));
        body.Append("<h2>Cameras</h2><table id=\"cameras\"><tr><th>camera</th><th>state</th><th>last fragment</th><th>recorded since start</th><th>clips sealed</th><th>runs</th><th>no footage since</th><th>last error</th></tr>");
        foreach (var c in fresh ? status!.Cameras : [])
        {
            var css = c.State == CameraState.Recording ? "ok" : c.State is CameraState.Failed or CameraState.Backoff or CameraState.DiskFull ? "bad" : "warn";
            body.Append($"<tr><td><a href=\"/console/cameras/{E(c.Name)}\">{E(c.Name)}</a></td><td class=\"{css}\">{E(c.State.ToString().ToLowerInvariant())}{(c.DescribeClock() is { } clock ? $" ({E(clock)})" : "")}</td>")
                .Append($"<td>{E(Time(c.LastFragmentAt))}</td><td>{E(Bytes(c.Bytes))}</td><td>{E(c.Clips)}</td><td>{E(c.Runs)}</td>")
                .Append($"<td>{(c.GapSince is { } since ? $"{E(Time(since))}: {E(c.GapCause)}" : "")}</td><td>{E(c.LastError)}</td></tr>");
        }
        body.Append("</table><h2>Storage and retention horizon</h2><table id=\"storage\"><tr><th>camera</th><th>clips kept</th><th>sealed bytes</th><th>oldest footage</th><th>newest footage</th></tr>");
        foreach (var f in footage)
        {
            body.Append($"<tr><td><a href=\"/console/cameras/{E(f.Camera)}\">{E(f.Camera)}</a></td><td>{E(f.Clips)}</td><td>{E(Bytes(f.Bytes))}</td><td>{E(Time(f.Oldest))}</td><td>{E(Time(f.Newest))}</td></tr>");
        }
        body.Append("</table>");
        try
        {
            var drive = new DriveInfo(catalog.Data.Root);
            body.Append($"<p>Free space on the data file system: {E(Bytes(drive.AvailableFreeSpace))} of {E(Bytes(drive.TotalSize))}.</p>");
        }
        catch (IOException)
        {
            // Not every file system reports its size; the table above still stands.
        }
        body.Append("<h2>Audit log</h2>");
        body.Append(checkpoint is null
            ? "<p class=\"warn\">No checkpoint yet.</p>"
            : $"<p id=\"checkpoint\">Last signed checkpoint: {E(checkpoint.Size)} entries, {E(Time(checkpoint.Created))}. <a href=\"/console/audit\">Browse and verify</a></p><pre>{E(checkpoint.Note)}</pre>");
        return Page(context, "Dashboard", body.ToString(), ConsoleEndpoints.Session(context));
    }
}
