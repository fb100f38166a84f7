using System.Text.Json.Nodes;
using HomeVault.Core.Catalog;
using HomeVault.Core.Disclosure.Decisions;
using HomeVault.Core.Disclosure.Requests;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Tests.Disclosure.Requests;

public sealed class RequestRepositoryTests : IDisposable
{
    private readonly Household _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Add_stores_a_pending_request_that_survives_reopening()
    {
        var request = TestRequests.Parse();
        var stored = _home.Repo.Add(request, new RequestDocument(new string('a', 64), 1234, "requests/doc.pdf.age"));

        Assert.Matches("^req_[a-z2-7]{26}$", stored.Id);
        Assert.Equal(RequestState.Pending, stored.State);
        Assert.Equal(TestRequests.Now, stored.Received);
        Assert.Equal(request.Digest(), stored.Digest);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(request.ToCanonicalJson()), stored.CanonicalJson);

        _home.Db.Close();
        using var db = CatalogDatabase.Open(_home.DbPath);
        var again = new RequestRepository(db).Get(stored.Id);
        Assert.Equal(request, again.Request);
        Assert.Equal(new RequestDocument(new string('a', 64), 1234, "requests/doc.pdf.age"), again.Document);
        Assert.Null(again.Approved);
        Assert.Equal(stored.Digest, again.Digest);
        _home.Db.Open();
    }

    [Fact]
    public void A_row_edited_behind_the_code_no_longer_matches_its_digest_and_is_refused()
    {
        var r = _home.Submit();
        _home.Exec("DROP TRIGGER requests_immutable");
        _home.Exec($"UPDATE requests SET scope_to_ms = scope_to_ms + 3600000 WHERE id = '{r.Id}'");
        var ex = Assert.Throws<CatalogException>(() => _home.Repo.Get(r.Id));
        Assert.Equal($"request {r.Id}: stored fields do not match its canonical JSON and digest (catalog altered)", ex.Message);
    }

    [Fact]
    public void Find_list_and_digest_lookup()
    {
        var a = _home.Submit();
        var b = _home.Submit();
        var c = _home.Submit(TestRequests.Preservation());
        Assert.Null(_home.Repo.Find(RequestId.New()));
        Assert.Throws<AccessRequestException>(() => _home.Repo.Get(RequestId.New()));
        Assert.Equal(3, _home.Repo.List().Count);
        Assert.Equal(new[] { a.Id, b.Id }.Order(StringComparer.Ordinal), _home.Repo.FindByDigest(a.Digest).Select(r => r.Id).Order(StringComparer.Ordinal));
        _home.Repo.Deny(c.Id, "owner1", "no basis");
        Assert.Equal([c.Id], _home.Repo.List(RequestState.Denied).Select(r => r.Id));
    }

    [Fact]
    public void Caller_transaction_rolls_back_the_request_with_its_audit_entry()
    {
        string id;
        using (var tx = _home.Db.BeginTransaction())
        {
            var repo = new RequestRepository(_home.Db, _home.Time, tx);
            id = repo.Add(TestRequests.Parse()).Id;
            Assert.NotNull(repo.Find(id));
            tx.Rollback();
        }
        Assert.Null(_home.Repo.Find(id));
    }

    [Fact]
    public void Deny_needs_an_active_owner_and_a_reason()
    {
        var r = _home.Submit();
        Assert.Equal("reason: required and must not be empty", Assert.Throws<AccessRequestException>(() => _home.Repo.Deny(r.Id, "owner1", "")).Message);
        Assert.Equal("reason: required and must not be empty", Assert.Throws<AccessRequestException>(() => _home.Repo.Deny(r.Id, "owner1", " \n ")).Message);
        Assert.Equal("reason: longer than the limit of 2000 characters", Assert.Throws<AccessRequestException>(() => _home.Repo.Deny(r.Id, "owner1", new string('x', 2001))).Message);
        Assert.Equal("reason: contains control character U+0007", Assert.Throws<AccessRequestException>(() => _home.Repo.Deny(r.Id, "owner1", "no\u0007")).Message);
        Assert.Equal("owner 'mallory': not an owner of this installation", Assert.Throws<AccessRequestException>(() => _home.Repo.Deny(r.Id, "mallory", "no")).Message);
        _home.Exec("UPDATE owners SET removed_ms = 1 WHERE name = 'owner2'");
        Assert.Equal("owner 'owner2': removed, and can no longer decide on requests", Assert.Throws<AccessRequestException>(() => _home.Repo.Deny(r.Id, "owner2", "no")).Message);
        Assert.Equal(RequestState.Pending, _home.Repo.Get(r.Id).State);

        var t = _home.Repo.Deny(r.Id, "owner1", new string('x', 2000));
        Assert.Equal(new RequestTransition(r.Id, r.Digest, r.Request.Scope, RequestState.Pending, RequestState.Denied, "owner1", new string('x', 2000), TestRequests.Now), t);
        Assert.Equal(RequestState.Denied, _home.Repo.Get(r.Id).State);
        Assert.Equal([RequestState.Pending, RequestState.Denied], _home.Repo.History(r.Id).Select(h => h.To));
        Assert.Equal("request " + r.Id + ": cannot move from denied to denied",
            Assert.Throws<AccessRequestException>(() => _home.Repo.Deny(r.Id, "owner1", "again")).Message);
    }

    [Fact]
    public void Invalid_transitions_throw_in_code()
    {
        var r = _home.Submit();
        Assert.Equal($"request {r.Id}: cannot move from pending to released", Assert.Throws<AccessRequestException>(() => _home.Repo.MarkReleased(r.Id)).Message);
        Assert.Equal($"request {r.Id}: cannot move from pending to revoked", Assert.Throws<AccessRequestException>(() => _home.Repo.Revoke(r.Id, "owner1", "x")).Message);
        _home.Repo.Close(r.Id, "owner1", "withdrawn by requester");
        Assert.Equal($"request {r.Id}: cannot move from closed to expired", Assert.Throws<AccessRequestException>(() => _home.Repo.Expire(r.Id)).Message);
        Assert.Equal(RequestState.Closed, _home.Repo.Get(r.Id).State);
    }

    [Fact]
    public void Code_and_schema_state_machines_agree()
    {
        foreach (var from in Enum.GetValues<RequestState>())
        {
            foreach (var to in Enum.GetValues<RequestState>().Where(s => s != from))
            {
                var id = _home.Submit(from is RequestState.Preserved ? TestRequests.Preservation() : null).Id;
                var approved = from is RequestState.Approved or RequestState.Preserved or RequestState.Released || to is RequestState.Approved or RequestState.Preserved or RequestState.Released;
                // Put the row in `from` behind the triggers' back (approval columns set so CHECKs pass), then try `to`.
                _home.Exec("DROP TRIGGER requests_state_transition; DROP TRIGGER requests_approval_once;");
                if (approved)
                {
                    _home.Exec($"UPDATE requests SET approved_statement_sha256 = '{new string('b', 64)}', approved_cameras = 'front', approved_from_ms = scope_from_ms, approved_to_ms = scope_to_ms, strip_audio = 0, release_expires_ms = 1 WHERE id = '{id}'");
                }
                _home.Exec($"UPDATE requests SET state = '{from.ToDb()}' WHERE id = '{id}'");
                RestoreTriggers();
                bool schemaAllows;
                try
                {
                    _home.Exec($"UPDATE requests SET state = '{to.ToDb()}' WHERE id = '{id}'");
                    schemaAllows = true;
                }
                catch (SqliteException ex) when (ex.Message.Contains("invalid request state transition", StringComparison.Ordinal))
                {
                    schemaAllows = false;
                }
                catch (SqliteException ex) when (ex.SqliteErrorCode == 19 && ex.Message.Contains("CHECK", StringComparison.Ordinal))
                {
                    schemaAllows = true; // transition allowed, the row just does not fit the target state (e.g. preservation released)
                }
                Assert.True(RequestStates.CanMove(from, to) == schemaAllows, $"{from} -> {to}: code {RequestStates.CanMove(from, to)}, schema {schemaAllows}");
            }
        }
    }

    private void RestoreTriggers()
    {
        var sql = new StreamReader(typeof(CatalogDatabase).Assembly.GetManifestResourceStream("HomeVault.Core.Catalog.Migrations.0003_requests.sql")!).ReadToEnd();
        foreach (var name in new[] { "requests_state_transition", "requests_approval_once" })
        {
            var start = sql.IndexOf("CREATE TRIGGER " + name, StringComparison.Ordinal);
            var end = sql.IndexOf("END;", start, StringComparison.Ordinal) + 4;
            _home.Exec(sql[start..end]);
        }
    }

    [Theory]
    [InlineData("UPDATE requests SET state = 'released'", "invalid request state transition")]
    [InlineData("UPDATE requests SET state = 'approved'", "CHECK constraint failed")]
    [InlineData("UPDATE requests SET state = 'bogus'", "invalid request state transition")]
    [InlineData("UPDATE requests SET canonical_json = '{}'", "an access request is immutable once received")]
    [InlineData("UPDATE requests SET scope_to_ms = scope_to_ms + 1", "an access request is immutable once received")]
    [InlineData("UPDATE requests SET approved_from_ms = scope_from_ms - 1, approved_to_ms = scope_to_ms, approved_cameras = 'front', strip_audio = 0, release_expires_ms = 1, approved_statement_sha256 = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'", "CHECK constraint failed")]
    [InlineData("DELETE FROM requests", "access requests are never deleted")]
    [InlineData("DELETE FROM request_cameras", "request cameras are immutable")]
    [InlineData("DELETE FROM request_decisions", "decisions are append-only")]
    [InlineData("INSERT INTO request_decisions (request_id, to_state, decided_ms) SELECT id, 'denied', 1 FROM requests", "CHECK constraint failed")]
    public void Schema_refuses_edits_that_bypass_the_code(string sql, string error)
    {
        _home.Submit();
        var ex = Assert.Throws<SqliteException>(() => _home.Exec(sql));
        Assert.Contains(error, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_refuses_approvals_for_decided_requests_or_by_removed_owners()
    {
        var r = _home.Submit();
        const string insert = "INSERT INTO request_approvals (request_id, owner_id, statement, statement_sha256, signature, approved_cameras, " +
            "approved_from_ms, approved_to_ms, strip_audio, release_expires_ms, signed_ms) SELECT id, {0}, 's', '" +
            "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'sig', 'front', scope_from_ms, scope_to_ms, 0, 1, 1 FROM requests";
        _home.Exec("UPDATE owners SET removed_ms = 1 WHERE name = 'owner2'");
        var ex = Assert.Throws<SqliteException>(() => _home.Exec(string.Format(System.Globalization.CultureInfo.InvariantCulture, insert, "(SELECT id FROM owners WHERE name = 'owner2')")));
        Assert.Contains("only an active owner can sign, and only for a pending request", ex.Message, StringComparison.Ordinal);
        _home.Repo.Deny(r.Id, "owner1", "no");
        ex = Assert.Throws<SqliteException>(() => _home.Exec(string.Format(System.Globalization.CultureInfo.InvariantCulture, insert, "(SELECT id FROM owners WHERE name = 'owner1')")));
        Assert.Contains("only an active owner can sign, and only for a pending request", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Schema_refuses_a_court_document_without_reference()
    {
        var ex = Assert.Throws<SqliteException>(() => _home.Exec(
            "INSERT INTO requests (id, state, received_ms, updated_ms, canonical_json, digest, requester_organization, requester_contact, " +
            "requester_recipient, legal_type, scope_from_ms, scope_to_ms, purpose) VALUES ('req_aaaaaaaaaaaaaaaaaaaaaaaaaa', 'pending', 1, 1, '{}', " +
            $"'{new string('c', 64)}', 'o', 'c', 'age1x', 'subpoena', 1, 2, 'p')"));
        Assert.Contains("CHECK constraint failed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Holds_cover_pending_approved_and_preserved_requests_only()
    {
        var pending = _home.Submit();
        var from = pending.Request.Scope.From;
        var to = pending.Request.Scope.To;

        Assert.True(_home.Repo.IsHeld("front", from.AddMinutes(-1), from.AddMinutes(1)));
        Assert.True(_home.Repo.IsHeld("drive", to.AddMinutes(-1), to.AddMinutes(5)));
        Assert.False(_home.Repo.IsHeld("back", from, to)); // camera not in scope
        Assert.False(_home.Repo.IsHeld("front", from.AddMinutes(-10), from)); // ends exactly where the window starts
        Assert.False(_home.Repo.IsHeld("front", to, to.AddMinutes(10))); // starts at the (exclusive) end
        Assert.Equal(2, _home.Repo.HeldWindows().Count);

        var preservation = _home.Submit(TestRequests.Preservation());
        _home.Approve("owner1", _home.WholeScope(preservation));
        Assert.Equal(RequestState.Preserved, _home.Repo.Get(preservation.Id).State);

        _home.Repo.Deny(pending.Id, "owner1", "no basis");
        var windows = _home.Repo.HeldWindows();
        Assert.Equal([preservation.Id, preservation.Id], windows.Select(w => w.RequestId));
        Assert.All(windows, w => Assert.Equal(RequestState.Preserved, w.State));
        Assert.Contains(windows, w => w.Covers("front", from, from.AddSeconds(10)));

        _home.Repo.Close(preservation.Id, "owner1", "hold lifted");
        Assert.False(_home.Repo.IsHeld("front", from, to));
        Assert.Empty(_home.Repo.HeldWindows());
    }

    [Fact]
    public void Approved_requests_hold_the_whole_requested_scope_even_when_narrowed()
    {
        var r = _home.Submit();
        var narrow = ApprovalStatement.Create(r, ["front"], r.Request.Scope.From.AddMinutes(30), r.Request.Scope.From.AddMinutes(40), true, TestRequests.Now.AddDays(3), TestRequests.Now);
        _home.Approve("owner1", narrow);
        Assert.True(_home.Repo.IsHeld("drive", r.Request.Scope.To.AddMinutes(-1), r.Request.Scope.To));
        _home.Repo.MarkReleased(r.Id);
        Assert.False(_home.Repo.IsHeld("drive", r.Request.Scope.From, r.Request.Scope.To));
    }

    [Fact]
    public void Pending_requests_whose_legal_basis_expired_are_reported_not_changed()
    {
        var warrant = _home.Submit();
        var noExpiry = _home.Submit(TestRequests.Parse(j => j["legalBasis"] = new JsonObject { ["type"] = "voluntary" }));
        Assert.Empty(_home.Repo.PendingWithExpiredLegalBasis());

        _home.Time.Now = new DateTimeOffset(2026, 12, 20, 23, 59, 59, TimeSpan.Zero);
        Assert.Empty(_home.Repo.PendingWithExpiredLegalBasis()); // expires at the end of its day
        _home.Time.Now = new DateTimeOffset(2026, 12, 21, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal([warrant.Id], _home.Repo.PendingWithExpiredLegalBasis().Select(r => r.Id));
        Assert.Equal(RequestState.Pending, _home.Repo.Get(warrant.Id).State);

        var t = _home.Repo.Expire(warrant.Id, "legal basis expired 2026-12-20");
        Assert.Equal(RequestState.Expired, t.To);
        Assert.Empty(_home.Repo.PendingWithExpiredLegalBasis());
        Assert.Equal(RequestState.Pending, _home.Repo.Get(noExpiry.Id).State);
    }

    [Fact]
    public void Releases_past_their_expiry_are_reported_and_refused()
    {
        var r = _home.Submit();
        _home.Approve("owner1", ApprovalStatement.Create(r, ["front"], r.Request.Scope.From, r.Request.Scope.To, false, TestRequests.Now.AddDays(1), TestRequests.Now));
        Assert.Empty(_home.Repo.ReleasesPastExpiry());
        _home.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal([r.Id], _home.Repo.ReleasesPastExpiry().Select(x => x.Id));
        Assert.Contains("the approval expired", Assert.Throws<AccessRequestException>(() => _home.Repo.MarkReleased(r.Id)).Message, StringComparison.Ordinal);
        _home.Repo.Expire(r.Id, "release expired unused");
        Assert.Empty(_home.Repo.ReleasesPastExpiry());
    }

    [Fact]
    public void Preservation_requests_can_never_be_released()
    {
        var r = _home.Submit(TestRequests.Preservation());
        var result = _home.Approve("owner1", _home.WholeScope(r));
        Assert.Equal(RequestState.Preserved, result.State);
        Assert.Equal($"request {r.Id}: a preservation request only holds footage and can never be released",
            Assert.Throws<AccessRequestException>(() => _home.Repo.MarkReleased(r.Id)).Message);
        Assert.Throws<SqliteException>(() => _home.Exec($"UPDATE requests SET state = 'released' WHERE id = '{r.Id}'"));
        Assert.Equal(RequestState.Preserved, _home.Repo.Get(r.Id).State);
    }

    [Fact]
    public void Released_requests_can_be_revoked_and_closed_with_history()
    {
        var r = _home.Submit();
        _home.Approve("owner1", _home.WholeScope(r));
        _home.Repo.MarkReleased(r.Id);
        _home.Repo.Revoke(r.Id, "owner2", "warrant quashed");
        _home.Repo.Close(r.Id);
        Assert.Equal([RequestState.Pending, RequestState.Approved, RequestState.Released, RequestState.Revoked, RequestState.Closed],
            _home.Repo.History(r.Id).Select(h => h.To));
        Assert.Equal("warrant quashed", _home.Repo.History(r.Id)[3].Reason);
        Assert.Equal("owner2", _home.Repo.History(r.Id)[3].Owner);
    }

    [Fact]
    public void Quorum_setting_defaults_to_one_and_is_validated()
    {
        Assert.Equal(1, _home.Repo.Quorum());
        _home.Repo.SetQuorum(2);
        Assert.Equal(2, _home.Repo.Quorum());
        Assert.Equal("2", new SettingsRepository(_home.Db).Get(RequestRepository.QuorumSetting));
        Assert.Throws<ArgumentOutOfRangeException>(() => _home.Repo.SetQuorum(0));
        new SettingsRepository(_home.Db).Set(RequestRepository.QuorumSetting, "two");
        Assert.Throws<CatalogException>(() => _home.Repo.Quorum());
    }
}
