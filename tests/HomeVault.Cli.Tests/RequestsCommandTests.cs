using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HomeVault.Core.Catalog;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Tests;

using static HomeVault.Cli.Tests.RequestFixture;

namespace HomeVault.Cli.Tests;

public sealed class RequestsCommandTests
{
    [Fact]
    public void Submit_prints_the_id_last_seals_the_document_and_logs_receipt_list_and_show_work()
    {
        var (dir, data, _) = Setup();
        var pdf = Path.Combine(dir, "warrant.pdf");
        File.WriteAllText(pdf, "%PDF-1.4\nsigned by the judge\n");
        var r = Homevault.Run("requests", "submit", "--data", data, "--file", Write(dir, Request()), "--document", pdf);
        Assert.True(r.Exit == 0, r.Stderr);
        var id = r.LastLine;
        Assert.True(RequestId.IsValid(id), id);
        var sealedDoc = Path.Combine(data, "requests", id, "warrant.pdf.age");
        Assert.StartsWith("age-encryption.org/v1\n", File.ReadAllText(sealedDoc), StringComparison.Ordinal);
        Assert.DoesNotContain("signed by the judge", File.ReadAllText(sealedDoc), StringComparison.Ordinal);

        var received = AuditEntries(data).Single(e => e.GetProperty("action").GetString() == "request.received");
        Assert.Equal("request/" + id, received.GetProperty("subject").GetString());
        var details = received.GetProperty("details");
        Assert.Equal("Springfield Police Department", details.GetProperty("organization").GetString());
        Assert.Equal("search-warrant", details.GetProperty("legal_basis").GetString());
        Assert.Equal("SW-2026-0142", details.GetProperty("reference").GetString());
        Assert.Equal("drive,front", details.GetProperty("cameras").GetString());
        Assert.Equal(Iso(From), details.GetProperty("from").GetString());
        Assert.Equal(Iso(To), details.GetProperty("to").GetString());
        Assert.Equal(64, details.GetProperty("digest").GetString()!.Length);

        var list = Homevault.Run("requests", "list", "--data", data);
        Assert.Equal(0, list.Exit);
        Assert.Contains(id, list.Stdout, StringComparison.Ordinal);
        Assert.Contains("pending", list.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{Iso(From)}..{Iso(To)}", list.Stdout, StringComparison.Ordinal);
        Assert.Equal("pending", State(data, id));
        Assert.Empty(JsonDocument.Parse(Homevault.Run("requests", "list", "--state", "denied", "--json", "--data", data).Stdout).RootElement.EnumerateArray());

        var show = Homevault.Run("requests", "show", id, "--data", data);
        Assert.True(show.Exit == 0, show.Stderr);
        Assert.Contains("legal basis:     search-warrant", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("preview:         0 clips, 0.0 minutes, 0 bytes", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("  front ", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("no footage", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("history:", show.Stdout, StringComparison.Ordinal);
        Assert.Equal("request.viewed", Actions(data)[^1]);
        Assert.Equal("cli", AuditEntries(data)[^1].GetProperty("actor").GetString());
        Assert.Equal(1, Homevault.Run("requests", "show", "req_nosuchrequestnosuchreque", "--data", data).Exit);
        AssertAuditVerifies(data);
    }

    [Theory]
    [InlineData("unknown-camera", "scope.cameras[")]
    [InlineData("inverted-window", "scope.to")]
    [InlineData("bad-recipient", "requester.recipient")]
    [InlineData("missing-reference", "legalBasis.reference")]
    [InlineData("not-json", "request")]
    [InlineData("not-a-pdf", "document")]
    public void Invalid_requests_are_refused_naming_the_field_and_store_nothing(string mistake, string field)
    {
        var (dir, data, _) = Setup();
        var request = Request();
        string[] extra = [];
        switch (mistake)
        {
            case "unknown-camera":
                request["scope"]!["cameras"] = new JsonArray("front", "garage");
                break;
            case "inverted-window":
                request["scope"]!["from"] = Iso(To);
                request["scope"]!["to"] = Iso(From);
                break;
            case "bad-recipient":
                request["requester"]!["recipient"] = "age1notakey";
                break;
            case "missing-reference":
                request["legalBasis"]!.AsObject().Remove("reference");
                break;
            case "not-a-pdf":
                var html = Path.Combine(dir, "warrant.html");
                File.WriteAllText(html, "<html>trust me</html>");
                extra = ["--document", html];
                break;
        }
        var file = Write(dir, request);
        if (mistake == "not-json")
        {
            File.WriteAllText(file, "{\"requester\": ");
        }
        var before = Actions(data);
        var r = Homevault.Run(["requests", "submit", "--data", data, "--file", file, .. extra]);
        Assert.Equal(1, r.Exit);
        Assert.StartsWith("homevault: " + field, r.Stderr, StringComparison.Ordinal);
        Assert.Equal("", r.Stdout);
        Assert.Equal("[]", Homevault.Run("requests", "list", "--json", "--data", data).Stdout.Trim());
        Assert.Equal(before, Actions(data));
        var requestsDir = Path.Combine(data, "requests");
        Assert.True(!Directory.Exists(requestsDir) || Directory.GetFileSystemEntries(requestsDir).Length == 0);
    }

    [Fact]
    public void Approve_narrows_refuses_wider_scope_and_wrong_passphrase_and_the_signature_verifies_with_stock_minisign()
    {
        var (dir, data, pass) = Setup();
        var id = Submit(dir, data);
        var bad = Path.Combine(dir, "bad");
        File.WriteAllText(bad, "not alice's passphrase\n");

        var wider = Homevault.Run("requests", "approve", id, "--cameras", "front,garage", "--data", data, "--passphrase-file", pass);
        Assert.Equal(1, wider.Exit);
        Assert.Contains("approval.cameras: 'garage' was not requested", wider.Stderr, StringComparison.Ordinal);
        var earlier = Homevault.Run("requests", "approve", id, "--from", Iso(From.AddMinutes(-1)), "--data", data, "--passphrase-file", pass);
        Assert.Equal(1, earlier.Exit);
        Assert.Contains("approval.from", earlier.Stderr, StringComparison.Ordinal);
        var later = Homevault.Run("requests", "approve", id, "--to", Iso(To.AddHours(1)), "--data", data, "--passphrase-file", pass);
        Assert.Equal(1, later.Exit);
        Assert.Contains("approval.to", later.Stderr, StringComparison.Ordinal);
        var wrong = Homevault.Run("requests", "approve", id, "--cameras", "front", "--data", data, "--passphrase-file", bad);
        Assert.Equal(1, wrong.Exit);
        Assert.Contains("passphrase", wrong.Stderr, StringComparison.Ordinal);
        Assert.Equal("pending", State(data, id));
        Assert.DoesNotContain("request.approved", Actions(data));

        var ok = Homevault.Run("requests", "approve", id, "--cameras", "front", "--from", Iso(From.AddMinutes(30)), "--to", Iso(From.AddMinutes(60)),
            "--strip-audio", "--expires", Date(7), "--data", data, "--passphrase-file", pass);
        Assert.True(ok.Exit == 0, ok.Stderr);
        var lines = ok.Stdout.TrimEnd('\n').Split('\n');
        Assert.Contains("approved", lines);
        // The only owner's signature is the quorum: the release is built and its directory is the last line.
        Assert.Equal(Path.Combine(data, "releases", id), lines[^1]);
        Assert.True(Directory.Exists(lines[^1]) && File.Exists(lines[^1] + ".tar"));
        var statementPath = lines.Single(l => l.StartsWith("statement: ", StringComparison.Ordinal))["statement: ".Length..];
        var signaturePath = lines.Single(l => l.StartsWith("signature: ", StringComparison.Ordinal))["signature: ".Length..];
        Assert.StartsWith(Path.Combine(data, "requests", id) + "/", statementPath, StringComparison.Ordinal);
        var statement = File.ReadAllText(statementPath);
        Assert.StartsWith("homevault-approval-v1\nrequest-id: " + id + "\n", statement, StringComparison.Ordinal);
        Assert.Contains("\ncameras: front\n", statement, StringComparison.Ordinal);
        Assert.Contains("\nstrip-audio: yes\n", statement, StringComparison.Ordinal);
        Assert.Contains($"\nfrom: {Iso(From.AddMinutes(30))}\n", statement, StringComparison.Ordinal);

        var minisign = TestEnv.Run(TestEnv.Tool("minisign"), ["-Vm", statementPath, "-x", signaturePath, "-p", Path.Combine(data, "keys", "alice.minisign.pub")]);
        Assert.True(minisign.Exit == 0, minisign.Stderr);
        Assert.Contains("homevault approval " + id, System.Text.Encoding.UTF8.GetString(minisign.Stdout), StringComparison.Ordinal);

        Assert.Equal("released", State(data, id));
        var approved = AuditEntries(data).Single(e => e.GetProperty("action").GetString() == "request.approved").GetProperty("details");
        Assert.Equal("alice", approved.GetProperty("signer").GetString());
        Assert.Equal("1", approved.GetProperty("distinct_signers").GetString());
        Assert.Equal("1", approved.GetProperty("quorum").GetString());
        Assert.Equal("yes", approved.GetProperty("quorum_reached").GetString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(statementPath))),
            approved.GetProperty("statement_sha256").GetString());

        var show = Homevault.Run("requests", "show", id, "--data", data);
        Assert.Contains("approved scope:  front", show.Stdout, StringComparison.Ordinal);
        Assert.Contains("pending -> approved by alice", show.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, Homevault.Run("requests", "approve", id, "--data", data, "--passphrase-file", pass).Exit);
        AssertAuditVerifies(data);
    }

    [Fact]
    public void Deny_needs_the_owners_passphrase_and_a_reason_and_lifts_the_hold()
    {
        var (dir, data, pass) = Setup();
        var id = Submit(dir, data);
        var bad = Path.Combine(dir, "bad");
        File.WriteAllText(bad, "not alice's passphrase\n");
        var wrong = Homevault.Run("requests", "deny", id, "--reason", "no", "--data", data, "--passphrase-file", bad);
        Assert.Equal(1, wrong.Exit);
        Assert.Equal("pending", State(data, id));
        Assert.True(IsHeld(data, "front"));
        Assert.Equal(2, Homevault.Run("requests", "deny", id, "--data", data, "--passphrase-file", pass).Exit);

        var r = Homevault.Run("requests", "deny", id, "--reason", "Overbroad: two hours of two cameras", "--data", data, "--passphrase-file", pass);
        Assert.True(r.Exit == 0, r.Stderr);
        Assert.Equal("denied", State(data, id));
        var denied = AuditEntries(data).Single(e => e.GetProperty("action").GetString() == "request.denied");
        Assert.Equal("alice", denied.GetProperty("actor").GetString());
        Assert.Equal("Overbroad: two hours of two cameras", denied.GetProperty("details").GetProperty("reason").GetString());
        Assert.Contains("pending -> denied by alice: Overbroad", Homevault.Run("requests", "show", id, "--data", data).Stdout, StringComparison.Ordinal);
        Assert.False(IsHeld(data, "front"));
        Assert.Equal(1, Homevault.Run("requests", "deny", id, "--reason", "again", "--data", data, "--passphrase-file", pass).Exit);
        AssertAuditVerifies(data);
    }

    [Fact]
    public void Approving_a_preservation_request_places_a_hold_and_a_quorum_waits_for_more_owners()
    {
        var (dir, data, pass) = Setup();
        var preservation = Submit(dir, data, Request("preservation"));
        var held = Homevault.Run("requests", "approve", preservation, "--data", data, "--passphrase-file", pass);
        Assert.True(held.Exit == 0, held.Stderr);
        Assert.Contains("preserved", held.Stdout, StringComparison.Ordinal);
        Assert.Equal("preserved", State(data, preservation));
        Assert.True(IsHeld(data, "drive"));

        var bobPass = Path.Combine(dir, "bob");
        File.WriteAllText(bobPass, "bob's own long passphrase\n");
        Assert.Equal(0, Homevault.Run("owners", "add", "bob", "--data", data, "--passphrase-file", bobPass).Exit);
        var q = TestEnv.Run(TestEnv.Tool("sqlite3"), [Path.Combine(data, "catalog.db"), "INSERT INTO settings(key, value) VALUES ('approval_quorum', '2')"]);
        Assert.True(q.Exit == 0, q.Stderr);
        var id = Submit(dir, data);
        var first = Homevault.Run("requests", "approve", id, "--cameras", "front", "--expires", Date(7), "--owner", "alice", "--data", data, "--passphrase-file", pass);
        Assert.True(first.Exit == 0, first.Stderr);
        Assert.Contains("awaiting 1 more owner signature(s)", first.Stdout, StringComparison.Ordinal);
        Assert.Equal("pending", State(data, id));
        var second = Homevault.Run("requests", "approve", id, "--cameras", "front", "--expires", Date(7), "--owner", "bob", "--data", data, "--passphrase-file", bobPass);
        Assert.True(second.Exit == 0, second.Stderr);
        Assert.Contains("approved", second.Stdout.Split('\n'));
        Assert.Equal("released", State(data, id));
        AssertAuditVerifies(data);
    }

    private static bool IsHeld(string data, string camera)
    {
        using var db = CatalogDatabase.Open(Path.Combine(data, "catalog.db"));
        return new RequestRepository(db).IsHeld(camera, From, To);
    }
}
