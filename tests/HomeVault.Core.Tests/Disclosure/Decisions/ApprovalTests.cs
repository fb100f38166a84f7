using System.Text;
using HomeVault.Core.Catalog;
using HomeVault.Core.Disclosure.Decisions;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Tests.Disclosure.Requests;
using HomeVault.Tests;

namespace HomeVault.Core.Tests.Disclosure.Decisions;

public sealed class ApprovalTests : IDisposable
{
    private readonly Household _home = new(owners: 3);

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Statement_has_the_documented_canonical_form()
    {
        var r = _home.Repo.Add(TestRequests.Parse(), new RequestDocument(new string('d', 64), 10, "doc.age"), id: "req_abcdefghijklmnopqrstuvwxyz");
        var statement = ApprovalStatement.Create(r, ["front"], new DateTimeOffset(2026, 11, 19, 20, 30, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 11, 19, 21, 0, 0, 500, TimeSpan.Zero), stripAudio: true,
            new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero), TestRequests.Now);

        Assert.Equal(
            "homevault-approval-v1\n" +
            "request-id: req_abcdefghijklmnopqrstuvwxyz\n" +
            "request-digest: d62c4079eb6f5c648882577a7bcfba8aa5c8ddc78162f00cf4e7af9ea9c7b719\n" +
            "legal-basis: search-warrant\n" +
            "legal-reference: \"SW-2026-0142\"\n" +
            $"document-sha256: {new string('d', 64)}\n" +
            "cameras: front\n" +
            "from: 2026-11-19T20:30:00Z\n" +
            "to: 2026-11-19T21:00:00.500Z\n" +
            "strip-audio: yes\n" +
            $"recipient: {TestRequests.Recipient}\n" +
            "release-expires: 2026-12-07T12:00:00Z\n",
            statement.ToText());
        var parsed = ApprovalStatement.Parse(statement.ToBytes());
        Assert.Equal(statement.ToBytes(), parsed.ToBytes());
        Assert.Equal(["front"], parsed.Cameras);
        Assert.True(parsed.StripAudio);
    }

    [Fact]
    public void Statement_without_reference_or_document_says_none()
    {
        var r = _home.Submit(TestRequests.Parse(j => j["legalBasis"] = new System.Text.Json.Nodes.JsonObject { ["type"] = "voluntary" }));
        var text = _home.WholeScope(r).ToText();
        Assert.Contains("\nlegal-reference: none\ndocument-sha256: none\ncameras: drive,front\n", text, StringComparison.Ordinal);
        Assert.Equal(text, ApprovalStatement.Parse(Encoding.UTF8.GetBytes(text)).ToText());
    }

    [Theory]
    [InlineData("null", "approval statement: legal-reference 'null' is not valid")]
    [InlineData("42", "approval statement: legal-reference is not a quoted string")]
    [InlineData("SW-2026-0142", "approval statement: legal-reference is not a quoted string")]
    [InlineData("\"SW\" \"2026\"", "approval statement: legal-reference is not a quoted string")]
    [InlineData("\"SW-2026-0142", "approval statement: legal-reference is not a quoted string")]
    public void A_legal_reference_that_is_not_one_quoted_string_is_refused(string value, string message)
    {
        var r = _home.Repo.Add(TestRequests.Parse(), new RequestDocument(new string('d', 64), 10, "doc.age"), id: "req_abcdefghijklmnopqrstuvwxyz");
        var text = _home.WholeScope(r).ToText().Replace("legal-reference: \"SW-2026-0142\"", "legal-reference: " + value, StringComparison.Ordinal);
        var ex = Assert.Throws<AccessRequestException>(() => ApprovalStatement.Parse(Encoding.UTF8.GetBytes(text)));
        Assert.Equal(message, ex.Message);
    }

    [Theory]
    [InlineData("cameras", "approval.cameras: 'back' was not requested (requested: drive,front)")]
    [InlineData("from", "approval.from: 2026-11-19T19:59:59.999Z is before the requested from 2026-11-19T20:00:00Z")]
    [InlineData("to", "approval.to: 2026-11-19T22:00:00.001Z is after the requested to 2026-11-19T22:00:00Z")]
    [InlineData("inverted", "approval.to: 2026-11-19T20:00:00Z is not after approval.from 2026-11-19T21:00:00Z")]
    [InlineData("none", "approval.cameras: must approve at least one camera")]
    [InlineData("expired", "approval.release-expires: 2026-11-23T12:00:00Z is not in the future")]
    public void Wider_scopes_are_refused_naming_the_bound(string widen, string message)
    {
        var r = _home.Submit();
        var s = r.Request.Scope;
        var ms = TimeSpan.FromMilliseconds(1);
        var ex = Assert.Throws<AccessRequestException>(() => widen switch
        {
            "cameras" => ApprovalStatement.Create(r, ["front", "back"], s.From, s.To, false, TestRequests.Now.AddDays(1), TestRequests.Now),
            "from" => ApprovalStatement.Create(r, ["front"], s.From - ms, s.To, false, TestRequests.Now.AddDays(1), TestRequests.Now),
            "to" => ApprovalStatement.Create(r, ["front"], s.From, s.To + ms, false, TestRequests.Now.AddDays(1), TestRequests.Now),
            "inverted" => ApprovalStatement.Create(r, ["front"], s.From.AddHours(1), s.From, false, TestRequests.Now.AddDays(1), TestRequests.Now),
            "none" => ApprovalStatement.Create(r, [], s.From, s.To, false, TestRequests.Now.AddDays(1), TestRequests.Now),
            _ => ApprovalStatement.Create(r, ["front"], s.From, s.To, false, TestRequests.Now, TestRequests.Now),
        });
        Assert.Equal([message], ex.Problems);
    }

    [Fact]
    public void A_hand_edited_wider_statement_is_refused_even_when_validly_signed()
    {
        var r = _home.Submit();
        var text = _home.WholeScope(r).ToText().Replace("cameras: drive,front", "cameras: back,drive,front", StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(text);
        var signature = _home.Keys["owner1"].Sign(bytes).ToFileText();
        var ex = Assert.Throws<AccessRequestException>(() => _home.Repo.Approve(r.Id, "owner1", bytes, signature));
        Assert.Equal("approval.cameras: 'back' was not requested (requested: drive,front)", ex.Message);
        Assert.Empty(_home.Repo.Approvals(r.Id));
    }

    [Fact]
    public void One_owner_approves_with_the_default_quorum()
    {
        var r = _home.Submit();
        var statement = ApprovalStatement.Create(r, ["drive"], r.Request.Scope.From.AddMinutes(15), r.Request.Scope.To.AddMinutes(-15),
            stripAudio: true, TestRequests.Now.AddDays(14), TestRequests.Now);

        var result = _home.Approve("owner1", statement);

        Assert.True(result.QuorumReached);
        Assert.Equal(RequestState.Approved, result.State);
        Assert.Equal((1, 1, false), (result.DistinctSigners, result.Quorum, result.AlreadySigned));
        Assert.Equal(r.Digest, result.RequestDigest);
        Assert.Equal(statement.Sha256(), result.StatementSha256);
        Assert.NotNull(result.Transition);
        Assert.Equal(RequestState.Pending, result.Transition.From);
        var stored = _home.Repo.Get(r.Id);
        Assert.Equal(RequestState.Approved, stored.State);
        Assert.Equal(new ApprovedScope(["drive"], statement.From, statement.To, true, TestRequests.Now.AddDays(14), statement.Sha256()) with { Cameras = stored.Approved!.Cameras }, stored.Approved);
        Assert.Equal(["drive"], stored.Approved.Cameras);
        var approval = Assert.Single(_home.Repo.Approvals(r.Id));
        Assert.Equal(statement.ToText(), approval.Statement);
        Assert.Equal("owner1", approval.Owner);
        Assert.Equal($"request {r.Id}: is approved, only a pending request can be approved",
            Assert.Throws<AccessRequestException>(() => _home.Approve("owner2", statement)).Message);
    }

    [Fact]
    public void Quorum_needs_k_distinct_owners_on_byte_identical_statements()
    {
        _home.Repo.SetQuorum(2);
        var r = _home.Submit();
        var statement = _home.WholeScope(r);

        var first = _home.Approve("owner1", statement);
        Assert.Equal((RequestState.Pending, 1, 2, false), (first.State, first.DistinctSigners, first.Quorum, first.AlreadySigned));

        // The same owner signing again (a fresh signature) counts once.
        var again = _home.Approve("owner1", statement);
        Assert.Equal((RequestState.Pending, 1, true), (again.State, again.DistinctSigners, again.AlreadySigned));

        // A different statement (narrower) from another owner does not add up with the first.
        var other = ApprovalStatement.Create(r, ["front"], r.Request.Scope.From, r.Request.Scope.To, false, TestRequests.Now.AddDays(14), TestRequests.Now);
        var split = _home.Approve("owner2", other);
        Assert.Equal((RequestState.Pending, 1), (split.State, split.DistinctSigners));

        var second = _home.Approve("owner3", statement);
        Assert.Equal((RequestState.Approved, 2), (second.State, second.DistinctSigners));
        Assert.Equal(statement.Sha256(), _home.Repo.Get(r.Id).Approved!.StatementSha256);
        Assert.Equal(3, _home.Repo.Approvals(r.Id).Count);
    }

    [Fact]
    public void A_removed_owner_no_longer_counts_towards_quorum()
    {
        _home.Repo.SetQuorum(2);
        var r = _home.Submit();
        var statement = _home.WholeScope(r);
        _home.Approve("owner1", statement);
        _home.Exec("UPDATE owners SET removed_ms = 1 WHERE name = 'owner1'");
        var result = _home.Approve("owner2", statement);
        Assert.Equal((RequestState.Pending, 1), (result.State, result.DistinctSigners));
    }

    [Fact]
    public void A_signature_that_does_not_verify_is_refused_and_stored_nowhere()
    {
        var r = _home.Submit();
        var statement = _home.WholeScope(r);
        var bytes = statement.ToBytes();

        // owner2's signature presented as owner1's.
        var ex = Assert.Throws<AccessRequestException>(() => _home.Repo.Approve(r.Id, "owner1", bytes, _home.Sign("owner2", statement)));
        Assert.StartsWith("approval signature of 'owner1': signature key id", ex.Message, StringComparison.Ordinal);

        // owner1's signature over a different statement.
        var narrower = ApprovalStatement.Create(r, ["front"], r.Request.Scope.From, r.Request.Scope.To, false, TestRequests.Now.AddDays(14), TestRequests.Now);
        ex = Assert.Throws<AccessRequestException>(() => _home.Repo.Approve(r.Id, "owner1", bytes, _home.Sign("owner1", narrower)));
        Assert.Equal("approval signature of 'owner1': signature verification failed (message or signature altered, or wrong key)", ex.Message);

        // Garbage.
        ex = Assert.Throws<AccessRequestException>(() => _home.Repo.Approve(r.Id, "owner1", bytes, "not a signature"));
        Assert.StartsWith("approval signature of 'owner1': ", ex.Message, StringComparison.Ordinal);

        // An owner who is not one.
        Assert.Throws<AccessRequestException>(() => _home.Repo.Approve(r.Id, "mallory", bytes, _home.Sign("owner1", statement)));

        Assert.Empty(_home.Repo.Approvals(r.Id));
        Assert.Equal(RequestState.Pending, _home.Repo.Get(r.Id).State);
        Assert.Equal(0L, Count("SELECT count(*) FROM request_approvals"));
    }

    [Fact]
    public void Statements_for_another_request_or_a_changed_one_are_refused()
    {
        var a = _home.Submit();
        var b = _home.Submit();
        var forA = _home.WholeScope(a);
        var ex = Assert.Throws<AccessRequestException>(() => _home.Repo.Approve(b.Id, "owner1", forA.ToBytes(), _home.Sign("owner1", forA)));
        Assert.Equal($"approval.request-id: {a.Id} is not this request ({b.Id})", ex.Problems[0]);

        var forged = forA.ToText().Replace(a.Digest, new string('0', 64), StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(forged);
        ex = Assert.Throws<AccessRequestException>(() => _home.Repo.Approve(a.Id, "owner1", bytes, _home.Keys["owner1"].Sign(bytes).ToFileText()));
        Assert.Equal("approval.request-digest: does not match the recorded request (it changed or this is another request)", ex.Message);
    }

    [Theory]
    [InlineData("crlf")]
    [InlineData("no final newline")]
    [InlineData("extra line")]
    [InlineData("reordered")]
    [InlineData("unsorted cameras")]
    [InlineData("offset time")]
    [InlineData("bom")]
    public void Non_canonical_statements_are_refused(string how)
    {
        var r = _home.Submit();
        var text = _home.WholeScope(r).ToText();
        var lines = text.Split('\n');
        var changed = how switch
        {
            "crlf" => text.Replace("\n", "\r\n", StringComparison.Ordinal),
            "no final newline" => text.TrimEnd('\n'),
            "extra line" => text + "note: hi\n",
            "reordered" => string.Join('\n', lines[0], lines[2], lines[1]) + "\n" + string.Join('\n', lines[3..]),
            "unsorted cameras" => text.Replace("cameras: drive,front", "cameras: front,drive", StringComparison.Ordinal),
            "offset time" => text.Replace("from: 2026-11-19T20:00:00Z", "from: 2026-11-19T21:00:00+01:00", StringComparison.Ordinal),
            _ => "\uFEFF" + text,
        };
        var bytes = Encoding.UTF8.GetBytes(changed);
        var ex = Assert.Throws<AccessRequestException>(() => _home.Repo.Approve(r.Id, "owner1", bytes, _home.Keys["owner1"].Sign(bytes).ToFileText()));
        Assert.StartsWith("approval statement: ", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_home.Repo.Approvals(r.Id));
    }

    [Fact]
    public void A_request_whose_legal_basis_expired_cannot_be_approved()
    {
        var r = _home.Submit();
        var statement = ApprovalStatement.Create(r, ["front"], r.Request.Scope.From, r.Request.Scope.To, false, TestRequests.Now.AddDays(60), TestRequests.Now);
        _home.Time.Now = new DateTimeOffset(2026, 12, 21, 0, 0, 0, TimeSpan.Zero);
        var ex = Assert.Throws<AccessRequestException>(() => _home.Approve("owner1", statement));
        Assert.Equal($"request {r.Id}: its legal basis expired on 2026-12-20; it can be denied or expired, not approved", ex.Message);
        Assert.Empty(_home.Repo.Approvals(r.Id));
    }

    [Fact]
    public void Caller_transaction_rolls_back_an_approval()
    {
        var r = _home.Submit();
        var statement = _home.WholeScope(r);
        using (var tx = _home.Db.BeginTransaction())
        {
            var result = new RequestRepository(_home.Db, _home.Time, tx).Approve(r.Id, "owner1", statement.ToBytes(), _home.Sign("owner1", statement));
            Assert.Equal(RequestState.Approved, result.State);
            tx.Rollback();
        }
        Assert.Equal(RequestState.Pending, _home.Repo.Get(r.Id).State);
        Assert.Empty(_home.Repo.Approvals(r.Id));
    }

    [Fact]
    public void Stock_minisign_verifies_an_owner_approval_signature()
    {
        var r = _home.Submit();
        var statement = _home.WholeScope(r, stripAudio: true);
        _home.Approve("owner1", statement);
        var approval = Assert.Single(_home.Repo.Approvals(r.Id));
        var message = Path.Combine(_home.Dir, "statement.txt");
        var sig = Path.Combine(_home.Dir, "statement.txt.minisig");
        File.WriteAllText(message, approval.Statement);
        File.WriteAllText(sig, approval.Signature);

        var (exit, stdout, stderr) = TestEnv.Run(TestEnv.Tool("minisign"),
            ["-V", "-P", _home.Keys["owner1"].PublicKey.ToBase64(), "-m", message, "-x", sig]);

        Assert.True(exit == 0, stderr);
        Assert.Contains($"Trusted comment: homevault approval {r.Id} by owner1", Encoding.UTF8.GetString(stdout), StringComparison.Ordinal);

        File.WriteAllText(message, approval.Statement.Replace("strip-audio: yes", "strip-audio: no", StringComparison.Ordinal));
        Assert.NotEqual(0, TestEnv.Run(TestEnv.Tool("minisign"), ["-V", "-P", _home.Keys["owner1"].PublicKey.ToBase64(), "-m", message, "-x", sig]).Exit);
    }

    private long Count(string sql) => (long)CatalogDatabase.Scalar(_home.Db, sql)!;
}
