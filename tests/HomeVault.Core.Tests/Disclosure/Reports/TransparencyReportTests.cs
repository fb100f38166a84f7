using System.Text;
using System.Text.Json;
using HomeVault.Core.Audit;
using HomeVault.Core.Disclosure.Reports;

namespace HomeVault.Core.Tests.Disclosure.Reports;

public sealed class TransparencyReportTests : IDisposable
{
    private readonly ReportHousehold _h = new();

    public TransparencyReportTests() => _h.Populate();

    public void Dispose() => _h.Dispose();

    private TransparencyReport Compute(DateTimeOffset? from = null, DateTimeOffset? to = null, IReleaseFacts? releases = null) =>
        _h.Compute(from, to, releases);

    private static int Count(IReadOnlyList<ReportCount> counts, string key) => counts.Single(c => c.Key == key).Requests;

    [Fact]
    public void Counts_every_outcome_legal_basis_and_organisation()
    {
        var r = Compute();

        Assert.Equal(11, r.RequestsReceived);
        Assert.Equal(
            [("search-warrant", 6), ("court-order", 1), ("subpoena", 1), ("emergency", 1), ("preservation", 1), ("voluntary", 1)],
            r.ByLegalBasis.Select(c => (c.Key, c.Requests)));
        Assert.Equal(
            [("Springfield Police Department", 9), (ReportHousehold.Hostile, 1), ("Shelbyville Insurance", 1)],
            r.ByOrganization.Select(c => (c.Key, c.Requests)));
        Assert.Equal(
            [("released-in-full", 1), ("released-narrowed", 1), ("approved-in-full", 1), ("approved-narrowed", 1), ("denied", 2),
             ("preserved", 1), ("pending", 1), ("expired", 1), ("revoked", 1), ("closed", 1)],
            r.ByOutcome.Select(c => (c.Key, c.Requests)));
        Assert.Equal(new NarrowingCounts(Cameras: 1, Time: 2, Audio: 1), r.Narrowed);
    }

    [Fact]
    public void Classifies_full_and_narrowed_from_the_approved_scope_and_history()
    {
        var histories = _h.Home.Repo.Histories([.. _h.Ids.Values.Select(v => _h.Home.Repo.Get(v.Id))]);
        RequestOutcome Of(string name)
        {
            var q = _h.Home.Repo.Get(_h.Ids[name].Id);
            return OutcomeClassifier.Classify(q, histories[q.Id]);
        }

        Assert.Equal(RequestOutcome.ReleasedInFull, Of("r1"));
        // Released, then closed: footage left the house, so it still counts as released (narrowed in all three ways).
        Assert.Equal(RequestOutcome.ReleasedNarrowed, Of("r2"));
        Assert.Equal((true, true, true), OutcomeClassifier.Narrowing(_h.Home.Repo.Get(_h.Ids["r2"].Id)));
        Assert.Equal(RequestOutcome.ApprovedInFull, Of("r3"));
        Assert.Equal(RequestOutcome.ApprovedNarrowed, Of("r4"));
        Assert.Equal((false, true, false), OutcomeClassifier.Narrowing(_h.Home.Repo.Get(_h.Ids["r4"].Id)));
        Assert.Equal(RequestOutcome.Denied, Of("r5"));
        Assert.Equal(RequestOutcome.Preserved, Of("r6"));
        Assert.Equal(RequestOutcome.Pending, Of("r7"));
        Assert.Equal(RequestOutcome.Expired, Of("r8"));
        Assert.Equal(RequestOutcome.Revoked, Of("r9"));
        Assert.Equal(RequestOutcome.Closed, Of("r10"));
    }

    [Fact]
    public void Sums_disclosed_footage_and_decision_times()
    {
        var r = Compute();

        // r1: front+drive for 2 h = 240 camera-minutes; r2: front for 30 min.
        Assert.Equal(2, r.Released.Requests);
        Assert.Equal(["drive", "front"], r.Released.Cameras);
        Assert.Equal(270, r.Released.ScopeCameraMinutes, 6);
        Assert.Null(r.Released.ClipMinutes);
        // r3: 240; r4: both cameras for 30 min.
        Assert.Equal(2, r.ApprovedNotReleased.Requests);
        Assert.Equal(300, r.ApprovedNotReleased.ScopeCameraMinutes, 6);
        // Decided after 0.5, 1, 2, 3, 4, 5, 6 and 10 hours; expiry and closing are not decisions.
        Assert.Equal(8, r.TimeToDecision.Decided);
        Assert.Equal(TimeSpan.FromHours(3.5), r.TimeToDecision.Median);
        Assert.Equal(TimeSpan.FromHours(10), r.TimeToDecision.Max);
        Assert.Equal(1, r.TimeToDecision.Pending);
        Assert.Equal(_h.Home.Time.Now - ReportHousehold.B.AddHours(6), r.TimeToDecision.OldestPending);
        Assert.Equal(["2026-11", "2026-12"], r.ByMonth.Select(m => m.Month));
        Assert.Equal([10, 1], r.ByMonth.Select(m => m.Total));
    }

    [Fact]
    public void Release_facts_add_the_actual_clip_minutes_where_known()
    {
        var facts = new FixedReleases(new() { [_h.Ids["r1"].Id] = new ReleasedFootage(100, 123_456, TimeSpan.FromMinutes(212.5)) });

        var r = Compute(releases: facts);

        Assert.Equal(212.5, r.Released.ClipMinutes);
        Assert.Equal(1, r.Released.ClipMinutesKnownFor);
        Assert.Equal(100, r.Released.ReleasedClips);
        Assert.Equal(123_456, r.Released.ReleasedBytes);
        Assert.Null(r.ApprovedNotReleased.ClipMinutes);
    }

    [Fact]
    public void Period_includes_its_from_and_excludes_its_to()
    {
        var b = ReportHousehold.B;

        // r2 was received exactly at b+1h (included), r5 exactly at b+4h (excluded).
        var r = Compute(b.AddHours(1), b.AddHours(4));

        Assert.Equal(3, r.RequestsReceived);
        Assert.Equal(1, Count(r.ByOutcome, "released-narrowed"));
        Assert.Equal(1, Count(r.ByOutcome, "approved-in-full"));
        Assert.Equal(1, Count(r.ByOutcome, "approved-narrowed"));
        Assert.Equal(0, Count(r.ByOutcome, "released-in-full"));
        Assert.Equal(b.AddHours(1), r.From);
        Assert.Equal(b.AddHours(4), r.To);

        var november = Compute(to: new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(10, november.RequestsReceived);
        Assert.Equal(TimeSpan.FromHours(3), november.TimeToDecision.Median);
        Assert.Equal(TimeSpan.FromHours(6), november.TimeToDecision.Max);
        Assert.DoesNotContain(november.ByOrganization, c => c.Key == ReportHousehold.Hostile);

        Assert.Throws<ArgumentException>(() => Compute(b, b));
    }

    [Fact]
    public void Ends_with_a_checkpoint_that_verifies_against_the_log_key_and_covers_the_log()
    {
        var size = _h.Log.Size();
        var r = Compute();

        var opened = SignedCheckpoint.TryOpen(r.Checkpoint.Note, NoteVerifier.Parse(r.Checkpoint.LogKey), null, out var error);
        Assert.True(opened is not null, error);
        // The key the report names is the installation's, and the checkpoint covers every leaf there was.
        Assert.Equal(_h.Key.Verifier.VerifierKey, r.Checkpoint.LogKey);
        Assert.Equal(size, opened.Size);
        Assert.Equal(size, r.Checkpoint.Size);
        Assert.Equal(Convert.ToBase64String(_h.Log.RootAt(size)), r.Checkpoint.RootHash);
        Assert.Equal(ReportHousehold.Origin, opened.Checkpoint.Origin);

        // Every form ends with the full signed note.
        Assert.EndsWith("```\n" + r.Checkpoint.Note + "```\n", r.ToMarkdown(), StringComparison.Ordinal);
        Assert.EndsWith("<pre id=\"checkpoint\">" + System.Net.WebUtility.HtmlEncode(r.Checkpoint.Note) + "</pre>\n</body>\n</html>\n", r.ToHtml(), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(r.ToJson());
        var last = json.RootElement.EnumerateObject().Last();
        Assert.Equal("checkpoint", last.Name);
        Assert.Equal(r.Checkpoint.Note, last.Value.GetProperty("note").GetString());
    }

    [Fact]
    public void Makes_a_fresh_checkpoint_only_when_the_last_one_is_older_than_the_last_leaf()
    {
        var first = Compute().Checkpoint;
        Assert.Equal(first.Note, Compute().Checkpoint.Note);

        _h.Log.Append(new AuditEvent("test", AuditActions.ConfigChanged, "x"));
        var second = Compute().Checkpoint;

        Assert.Equal(first.Size + 1, second.Size);
        Assert.NotNull(SignedCheckpoint.TryOpen(second.Note, _h.Key.Verifier, null, out _));
    }

    [Fact]
    public void The_generated_entry_records_the_exact_bytes_after_the_certified_checkpoint()
    {
        var r = Compute();
        var bytes = r.ToJson();

        var index = _h.Log.Append(r.GeneratedEvent("cli", "json", bytes));

        Assert.Equal(r.Checkpoint.Size, index);
        var entry = _h.Log.GetEntry(index).Event;
        Assert.Equal(AuditActions.ReportGenerated, entry.Action);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), entry.Details["sha256"]);
        Assert.Equal(r.Checkpoint.RootHash, entry.Details["checkpoint_root"]);
        Assert.Equal("beginning", entry.Details["from"]);
        Assert.True(_h.Log.Verify().Ok);
    }

    private sealed class FixedReleases(Dictionary<string, ReleasedFootage> facts) : IReleaseFacts
    {
        public ReleasedFootage? Footage(string requestId) => facts.GetValueOrDefault(requestId);
    }
}
