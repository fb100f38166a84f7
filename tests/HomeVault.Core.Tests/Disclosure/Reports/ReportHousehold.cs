using System.Text.Json.Nodes;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Disclosure.Decisions;
using HomeVault.Core.Disclosure.Reports;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Tests.Disclosure.Requests;

namespace HomeVault.Core.Tests.Disclosure.Reports;

/// <summary>
/// A real catalog holding one request in every outcome, driven through RequestRepository with approval statements
/// signed by real minisign keys, and an audit log (real signed-note key) on the same database.
/// </summary>
internal sealed class ReportHousehold : IDisposable
{
    public const string Origin = "homevault.local/report-test";
    public const string Hostile = "<script>alert('x')</script> & \"Co\" | *bold* [link](http://evil.example)";

    public static readonly DateTimeOffset B = TestRequests.Now;

    public ReportHousehold()
    {
        Home = new Household(owners: 2);
        Key = NoteSigner.Generate(Origin);
        Log = new AuditLog(Home.Db, Key, Origin, Home.Time);
    }

    public Household Home { get; }

    public NoteSigner Key { get; }

    public AuditLog Log { get; }

    public Dictionary<string, StoredRequest> Ids { get; } = [];

    /// <summary>The report over this catalog, computed in one write as the CLI and the console do.</summary>
    public TransparencyReport Compute(DateTimeOffset? from = null, DateTimeOffset? to = null, IReleaseFacts? releases = null)
    {
        using var catalog = new CatalogConnection(Home.Db, Log, Home.Time);
        using var work = catalog.Write();
        var report = TransparencyReport.Compute(work, from, to, Home.Time, releases);
        work.Commit();
        return report;
    }

    /// <summary>
    /// r1 released in full (decided after 1 h), r2 released narrowed then closed (3 h), r3 approved in full (30 min),
    /// r4 approved narrowed in time (5 h), r5 denied then closed (2 h), r6 preserved (4 h), r7 pending, r8 expired,
    /// r9 approved then revoked (6 h), r10 closed undecided: all received on 2026-11-23 an hour apart; r11 from a
    /// hostile-named organisation received 2026-12-05, denied after 10 h.
    /// </summary>
    public void Populate()
    {
        var r1 = Submit("r1", B);
        Approve(r1, B.AddHours(1), whole: true);
        At(B.AddHours(1.2), () => Home.Repo.MarkReleased(r1.Id));

        var r2 = Submit("r2", B.AddHours(1));
        var s2 = r2.Request.Scope;
        Approve(r2, B.AddHours(4), cameras: ["front"], from: s2.From.AddMinutes(30), to: s2.From.AddMinutes(60), strip: true);
        At(B.AddHours(4.5), () => Home.Repo.MarkReleased(r2.Id));
        At(B.AddHours(20), () => Home.Repo.Close(r2.Id, "owner1", "matter finished"));

        var r3 = Submit("r3", B.AddHours(2));
        Approve(r3, B.AddHours(2.5), whole: true);

        var r4 = Submit("r4", B.AddHours(3));
        var s4 = r4.Request.Scope;
        Approve(r4, B.AddHours(8), from: s4.From.AddHours(1), to: s4.From.AddHours(1.5));

        var r5 = Submit("r5", B.AddHours(4), j => j["legalBasis"]!["type"] = "court-order");
        At(B.AddHours(6), () => Home.Repo.Deny(r5.Id, "owner2", "no probable cause stated"));
        At(B.AddHours(21), () => Home.Repo.Close(r5.Id));

        var r6 = Submit("r6", B.AddHours(5), j => j["legalBasis"] = new JsonObject { ["type"] = "preservation", ["reference"] = "PR-77", ["issuedBy"] = "Springfield PD" });
        Approve(r6, B.AddHours(9), whole: true);

        Submit("r7", B.AddHours(6));

        var r8 = Submit("r8", B.AddHours(7), j => j["legalBasis"] = new JsonObject { ["type"] = "emergency" });
        At(B.AddHours(8), () => Home.Repo.Expire(r8.Id, "no answer in time"));

        var r9 = Submit("r9", B.AddHours(8));
        Approve(r9, B.AddHours(14), whole: true);
        At(B.AddHours(15), () => Home.Repo.Revoke(r9.Id, "owner1", "warrant quashed"));

        var r10 = Submit("r10", B.AddHours(9), j =>
        {
            j["legalBasis"] = new JsonObject { ["type"] = "voluntary" };
            j["requester"]!["organization"] = "Shelbyville Insurance";
        });
        At(B.AddHours(10), () => Home.Repo.Close(r10.Id, null, "withdrawn by requester"));

        var dec = new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero);
        var r11 = Submit("r11", dec, j =>
        {
            j["legalBasis"]!["type"] = "subpoena";
            j["requester"]!["organization"] = Hostile;
        });
        At(dec.AddHours(10), () => Home.Repo.Deny(r11.Id, "owner1", "overbroad"));
        Home.Time.Now = new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);
    }

    public StoredRequest Submit(string name, DateTimeOffset at, Action<JsonObject>? change = null)
    {
        Home.Time.Now = at;
        var stored = Home.Submit(TestRequests.Parse(change));
        Log.Append(new AuditEvent("test", AuditActions.RequestReceived, "request/" + stored.Id));
        Ids[name] = stored;
        return stored;
    }

    public void Approve(StoredRequest r, DateTimeOffset at, bool whole = false, string[]? cameras = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null, bool strip = false)
    {
        Home.Time.Now = at;
        var scope = r.Request.Scope;
        var statement = whole
            ? Home.WholeScope(r)
            : ApprovalStatement.Create(r, cameras ?? scope.Cameras, from ?? scope.From, to ?? scope.To, strip, at.AddDays(14), at);
        var result = Home.Approve("owner1", statement);
        Assert.True(result.QuorumReached);
        Log.Append(new AuditEvent("owner1", AuditActions.RequestApproved, "request/" + r.Id));
    }

    private void At(DateTimeOffset at, Action action)
    {
        Home.Time.Now = at;
        action();
    }

    public void Dispose()
    {
        Key.Dispose();
        Home.Dispose();
    }
}
