using System.CommandLine;
using System.Globalization;
using HomeVault.Cli.Infrastructure;
using HomeVault.Core.Audit;
using HomeVault.Core.Disclosure.Decisions;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Json;

namespace HomeVault.Cli.Commands;

internal static partial class RequestsCommands
{
    private static Command BuildShow()
    {
        var id = new Argument<string>("ID") { Description = "The request id (req_...)" };
        var command = new Command("show", "Show a request, what its scope would disclose (clips, minutes, bytes, gaps per camera) and its history; the viewing is audited") { id };
        command.SetAction(result =>
        {
            using var vault = Installation.Open(CommonOptions.DataDirectory(result));
            var q = GetRequest(vault, result.GetValue(id)!);
            ScopePreview preview;
            IReadOnlyList<RequestTransition> history;
            IReadOnlyList<ApprovalRecord> approvals;
            using (var read = vault.Catalog.Read())
            {
                preview = read.Scopes.Preview(q.Request.Scope);
                history = read.Requests.History(q.Id);
                approvals = read.Requests.Approvals(q.Id);
            }
            vault.Record(new AuditEvent(Actor, AuditActions.RequestViewed, Subject(q.Id), new Dictionary<string, string>
            {
                ["digest"] = q.Digest,
                ["state"] = q.State.ToDb(),
            }));
            var o = Console.Out;
            var r = q.Request;
            var lb = r.LegalBasis;
            o.WriteLine($"id:              {q.Id}");
            o.WriteLine($"state:           {q.State.ToDb()}{(q.State.Holds() ? " (requested scope on legal hold)" : "")}");
            o.WriteLine($"received:        {WireTime.Format(q.Received)}");
            o.WriteLine($"updated:         {WireTime.Format(q.Updated)}");
            o.WriteLine($"digest:          {q.Digest}");
            o.WriteLine($"organization:    {r.Requester.Organization}");
            o.WriteLine($"contact:         {r.Requester.Contact}");
            o.WriteLine($"recipient:       {r.Requester.Recipient}");
            o.WriteLine($"legal basis:     {lb.Type.ToWireName()}");
            o.WriteLine($"reference:       {lb.Reference ?? "none"}");
            o.WriteLine($"issued by:       {lb.IssuedBy ?? "none"}");
            o.WriteLine($"issued on:       {(lb.IssuedOn is { } i ? WireTime.Format(i) : "none")}");
            o.WriteLine($"expires on:      {(lb.ExpiresOn is { } e ? WireTime.Format(e) : "none")}");
            o.WriteLine($"purpose:         {r.Purpose}");
            o.WriteLine($"cameras:         {string.Join(",", r.Scope.Cameras)}");
            o.WriteLine($"from:            {WireTime.Format(r.Scope.From)}");
            o.WriteLine($"to:              {WireTime.Format(r.Scope.To)}");
            o.WriteLine(q.Document is { } d
                ? string.Create(CultureInfo.InvariantCulture, $"document:        sha256 {d.Sha256}, {d.Bytes} bytes, sealed at {d.Path}")
                : "document:        none");
            if (q.Approved is { } a)
            {
                o.WriteLine($"approved scope:  {string.Join(",", a.Cameras)} from {WireTime.Format(a.From)} to {WireTime.Format(a.To)}, strip-audio {(a.StripAudio ? "yes" : "no")}, release expires {WireTime.Format(a.ReleaseExpires)}");
                o.WriteLine($"statement:       sha256 {a.StatementSha256}");
            }
            foreach (var s in approvals)
            {
                o.WriteLine($"signature:       {s.Owner} on statement {s.StatementSha256} at {WireTime.Format(s.SignedAt)}");
            }
            o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"preview:         {preview.TotalClips} clips, {preview.TotalFootage.TotalMinutes:0.0} minutes, {preview.TotalCiphertextBytes} bytes"));
            foreach (var c in preview.Cameras)
            {
                o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {c.Camera,-12} {c.Clips,5} clips {c.Minutes,8:0.0} min {c.CiphertextBytes,12} bytes {c.Gaps.Count,3} gaps"));
                foreach (var g in c.Gaps)
                {
                    o.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"    gap {WireTime.Format(g.From)}..{WireTime.Format(g.To)} ({g.Length.TotalMinutes:0.0} min): {g.Cause}"));
                }
            }
            o.WriteLine("history:");
            foreach (var h in history)
            {
                var move = h.From == h.To ? h.To.ToDb() : $"{h.From.ToDb()} -> {h.To.ToDb()}";
                var who = h.Owner is null ? "" : $" by {h.Owner}";
                var why = h.Reason is null ? "" : $": {TerminalText.Safe(h.Reason)}";
                o.WriteLine($"  {WireTime.Format(h.At)}  {move}{who}{why}");
            }
            return CliApp.Ok;
        });
        return command;
    }
}
