using System.Text;
using System.Text.Json.Nodes;
using HomeVault.Core.Disclosure.Requests;

namespace HomeVault.Core.Tests.Disclosure.Requests;

public sealed class AccessRequestValidatorTests
{
    private static JsonObject Obj(JsonObject j, string name) => j[name]!.AsObject();

    /// <summary>Each case breaks one rule of a valid request and names the single line the validator must give.</summary>
    private static readonly Dictionary<string, (Action<JsonObject> Break, string Problem)> Cases = new()
    {
        ["unknown root property"] = (j => j["priority"] = "high", "priority: unknown property"),
        ["unknown nested property"] = (j => Obj(j, "requester")["fax"] = "555", "requester.fax: unknown property"),
        ["missing purpose"] = (j => j.Remove("purpose"), "purpose: missing required field"),
        ["missing contact"] = (j => Obj(j, "requester").Remove("contact"), "requester.contact: missing required field"),
        ["missing scope.to"] = (j => Obj(j, "scope").Remove("to"), "scope.to: missing required field"),
        ["missing legal type"] = (j => Obj(j, "legalBasis").Remove("type"), "legalBasis.type: missing required field"),
        ["number for time"] = (j => Obj(j, "scope")["from"] = 1763582400, "scope.from: expected a string, got a number"),
        ["string for cameras"] = (j => Obj(j, "scope")["cameras"] = "front", "scope.cameras: expected an array, got a string"),
        ["array for requester"] = (j => j["requester"] = new JsonArray(), "requester: expected an object, got an array"),
        ["null purpose"] = (j => j["purpose"] = null, "purpose: expected a string, got null"),
        ["number camera"] = (j => Obj(j, "scope")["cameras"] = new JsonArray("front", 7), "scope.cameras[1]: expected a string, got a number"),
        ["unknown camera"] = (j => Obj(j, "scope")["cameras"] = new JsonArray("front", "garage"), "scope.cameras[1]: unknown camera 'garage'"),
        ["duplicate camera"] = (j => Obj(j, "scope")["cameras"] = new JsonArray("front", "drive", "front"), "scope.cameras[2]: duplicate camera 'front'"),
        ["no cameras"] = (j => Obj(j, "scope")["cameras"] = new JsonArray(), "scope.cameras: must name at least one camera"),
        ["inverted window"] = (j => { Obj(j, "scope")["from"] = "2026-11-19T22:00:00Z"; Obj(j, "scope")["to"] = "2026-11-19T20:00:00Z"; },
            "scope.to: 2026-11-19T20:00:00Z is not after scope.from 2026-11-19T22:00:00Z"),
        ["empty window"] = (j => Obj(j, "scope")["to"] = "2026-11-19T20:00:00Z",
            "scope.to: 2026-11-19T20:00:00Z is not after scope.from 2026-11-19T20:00:00Z"),
        ["window over 7 days"] = (j => { Obj(j, "scope")["from"] = "2026-11-10T00:00:00Z"; Obj(j, "scope")["to"] = "2026-11-17T00:00:01Z"; },
            "scope.to: the window of 7 days 00:00:01 is longer than the maximum of 7 days"),
        ["window in the future"] = (j => { Obj(j, "scope")["from"] = "2026-11-23T11:00:00Z"; Obj(j, "scope")["to"] = "2026-11-23T12:00:00.001Z"; },
            "scope.to: 2026-11-23T12:00:00.001Z is in the future (now is 2026-11-23T12:00:00Z)"),
        ["time without offset"] = (j => Obj(j, "scope")["from"] = "2026-11-19T20:00:00",
            "scope.from: '2026-11-19T20:00:00' is not an RFC 3339 date-time with offset (e.g. 2026-11-19T20:00:00Z)"),
        ["time as date only"] = (j => Obj(j, "scope")["to"] = "2026-11-19",
            "scope.to: '2026-11-19' is not an RFC 3339 date-time with offset (e.g. 2026-11-19T20:00:00Z)"),
        ["impossible time"] = (j => Obj(j, "scope")["from"] = "2026-02-30T20:00:00Z", "scope.from: '2026-02-30T20:00:00Z' is not a valid date-time"),
        ["sub-millisecond time"] = (j => Obj(j, "scope")["from"] = "2026-11-19T20:00:00.0001Z",
            "scope.from: '2026-11-19T20:00:00.0001Z' is more precise than milliseconds"),
        ["nanosecond time"] = (j => Obj(j, "scope")["from"] = "2026-11-19T20:00:00.000000001Z",
            "scope.from: '2026-11-19T20:00:00.000000001Z' is more precise than milliseconds"),
        ["search warrant without reference"] = (j => Obj(j, "legalBasis").Remove("reference"), "legalBasis.reference: required for a search-warrant"),
        ["court order without issuer"] = (j => { Obj(j, "legalBasis")["type"] = "court-order"; Obj(j, "legalBasis").Remove("issuedBy"); },
            "legalBasis.issuedBy: required for a court-order"),
        ["subpoena without reference"] = (j => { Obj(j, "legalBasis")["type"] = "subpoena"; Obj(j, "legalBasis").Remove("reference"); },
            "legalBasis.reference: required for a subpoena"),
        ["unknown legal type"] = (j => Obj(j, "legalBasis")["type"] = "warrant",
            "legalBasis.type: unknown type 'warrant' (expected one of: search-warrant, court-order, subpoena, emergency, preservation, voluntary)"),
        ["expired"] = (j => Obj(j, "legalBasis")["expiresOn"] = "2026-11-22", "legalBasis.expiresOn: expired on 2026-11-22 (today is 2026-11-23 UTC)"),
        ["issued in the future"] = (j => Obj(j, "legalBasis")["issuedOn"] = "2026-11-24", "legalBasis.issuedOn: 2026-11-24 is in the future (today is 2026-11-23 UTC)"),
        ["number for date"] = (j => Obj(j, "legalBasis")["issuedOn"] = 20261120, "legalBasis.issuedOn: expected a string, got a number"),
        ["boolean for purpose"] = (j => j["purpose"] = true, "purpose: expected a string, got a boolean"),
        ["over-long contact"] = (j => Obj(j, "requester")["contact"] = new string('c', 255), "requester.contact: 255 characters is longer than the limit of 254"),
        ["over-long issuer"] = (j => Obj(j, "legalBasis")["issuedBy"] = new string('i', 201), "legalBasis.issuedBy: 201 characters is longer than the limit of 200"),
        ["bad date format"] = (j => Obj(j, "legalBasis")["issuedOn"] = "20-11-2026", "legalBasis.issuedOn: '20-11-2026' is not a date in the form yyyy-MM-dd"),
        ["impossible date"] = (j => Obj(j, "legalBasis")["expiresOn"] = "2026-12-32", "legalBasis.expiresOn: '2026-12-32' is not a date in the form yyyy-MM-dd"),
        ["malformed recipient"] = (j => Obj(j, "requester")["recipient"] = "age1xyz",
            "requester.recipient: 'age1xyz' is not a valid age X25519 recipient (age1...)"),
        ["recipient with bad checksum"] = (j => Obj(j, "requester")["recipient"] = TestRequests.Recipient[..^1] + "q",
            $"requester.recipient: '{TestRequests.Recipient[..^1]}q' is not a valid age X25519 recipient (age1...)"),
        ["ssh key as recipient"] = (j => Obj(j, "requester")["recipient"] = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE",
            "requester.recipient: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE' is not a valid age X25519 recipient (age1...)"),
        ["over-long purpose"] = (j => j["purpose"] = new string('x', 2001), "purpose: 2001 characters is longer than the limit of 2000"),
        ["over-long organization"] = (j => Obj(j, "requester")["organization"] = new string('o', 201),
            "requester.organization: 201 characters is longer than the limit of 200"),
        ["over-long reference"] = (j => Obj(j, "legalBasis")["reference"] = new string('r', 201), "legalBasis.reference: 201 characters is longer than the limit of 200"),
        ["bell in purpose"] = (j => j["purpose"] = "break-in\u0007", "purpose: contains control character U+0007"),
        ["newline in organization"] = (j => Obj(j, "requester")["organization"] = "Springfield\nPD", "requester.organization: contains control character U+000A"),
        ["bidi override in contact"] = (j => Obj(j, "requester")["contact"] = "records@\u202Eelpmaxe", "requester.contact: contains control character U+202E"),
        ["escape in reference"] = (j => Obj(j, "legalBasis")["reference"] = "SW\u001b[2J", "legalBasis.reference: contains control character U+001B"),
        ["blank organization"] = (j => Obj(j, "requester")["organization"] = "   ", "requester.organization: must not be empty"),
        ["empty purpose"] = (j => j["purpose"] = "", "purpose: must not be empty"),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Each_rule_refuses_with_one_line_naming_the_field(string name)
    {
        var (breakIt, problem) = Cases[name];
        var json = TestRequests.Example();
        breakIt(json);

        var result = TestRequests.Validator().Validate(TestRequests.Bytes(json));

        Assert.False(result.IsValid);
        Assert.Null(result.Request);
        Assert.Equal([problem], result.Problems);
        var ex = Assert.Throws<AccessRequestException>(() => TestRequests.Validator().Parse(TestRequests.Bytes(json)));
        Assert.Equal(problem, ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }

    [Fact]
    public void The_example_file_parses_and_is_normalised()
    {
        var request = TestRequests.Validator().Parse(Encoding.UTF8.GetBytes(TestRequests.ExampleText));

        Assert.Equal("Springfield Police Department", request.Requester.Organization);
        Assert.Equal(TestRequests.Recipient, request.Requester.Recipient);
        Assert.Equal(LegalBasisType.SearchWarrant, request.LegalBasis.Type);
        Assert.Equal("SW-2026-0142", request.LegalBasis.Reference);
        Assert.Equal(new DateOnly(2026, 11, 20), request.LegalBasis.IssuedOn);
        Assert.Equal(new DateOnly(2026, 12, 20), request.LegalBasis.ExpiresOn);
        Assert.Equal(["drive", "front"], request.Scope.Cameras);
        Assert.Equal(new DateTimeOffset(2026, 11, 19, 20, 0, 0, TimeSpan.Zero), request.Scope.From);
        Assert.Equal(TimeSpan.FromHours(2), request.Scope.Length);
    }

    [Fact]
    public void Offsets_are_normalised_to_utc()
    {
        var request = TestRequests.Parse(j =>
        {
            Obj(j, "scope")["from"] = "2026-11-19T22:00:00+02:00";
            Obj(j, "scope")["to"] = "2026-11-19t17:30:00.250-04:30";
        });
        Assert.Equal(TimeSpan.Zero, request.Scope.From.Offset);
        Assert.Equal(new DateTimeOffset(2026, 11, 19, 20, 0, 0, TimeSpan.Zero), request.Scope.From);
        Assert.Equal(new DateTimeOffset(2026, 11, 19, 22, 0, 0, 250, TimeSpan.Zero), request.Scope.To);
    }

    [Fact]
    public void Expiring_today_and_issued_today_are_accepted()
    {
        var request = TestRequests.Parse(j =>
        {
            Obj(j, "legalBasis")["issuedOn"] = "2026-11-23";
            Obj(j, "legalBasis")["expiresOn"] = "2026-11-23";
        });
        Assert.Equal(new DateOnly(2026, 11, 23), request.LegalBasis.ExpiresOn);
    }

    [Fact]
    public void Expiry_is_judged_by_the_time_provider()
    {
        var time = new ManualTime(TestRequests.Now);
        var json = TestRequests.Bytes(TestRequests.Example());
        Assert.True(TestRequests.Validator(time).Validate(json).IsValid);
        time.Now = new DateTimeOffset(2026, 12, 21, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(["legalBasis.expiresOn: expired on 2026-12-20 (today is 2026-12-21 UTC)"], TestRequests.Validator(time).Validate(json).Problems);
    }

    [Fact]
    public void Expires_before_issued_is_refused()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 11, 10, 0, 0, 0, TimeSpan.Zero));
        var json = TestRequests.Example();
        Obj(json, "scope")["from"] = "2026-11-08T00:00:00Z";
        Obj(json, "scope")["to"] = "2026-11-09T00:00:00Z";
        Obj(json, "legalBasis")["issuedOn"] = "2026-11-09";
        Obj(json, "legalBasis")["expiresOn"] = "2026-11-08";
        Assert.Contains("legalBasis.expiresOn: 2026-11-08 is before issuedOn 2026-11-09", TestRequests.Validator(time).Validate(TestRequests.Bytes(json)).Problems);
    }

    [Theory]
    [InlineData("voluntary")]
    [InlineData("emergency")]
    [InlineData("preservation")]
    public void Reference_and_issuer_are_optional_outside_court_documents(string type)
    {
        var request = TestRequests.Parse(j => j["legalBasis"] = new JsonObject { ["type"] = type });
        Assert.Null(request.LegalBasis.Reference);
        Assert.Null(request.LegalBasis.IssuedBy);
        Assert.Null(request.LegalBasis.IssuedOn);
    }

    [Fact]
    public void Maximum_window_is_configurable()
    {
        var limits = new AccessRequestLimits { MaxWindow = TimeSpan.FromHours(1) };
        var result = TestRequests.Validator(limits: limits).Validate(TestRequests.Bytes(TestRequests.Example()));
        Assert.Equal(["scope.to: the window of 02:00:00 is longer than the maximum of 01:00:00"], result.Problems);
        var exactlySeven = TestRequests.Parse(j => { Obj(j, "scope")["from"] = "2026-11-10T00:00:00Z"; Obj(j, "scope")["to"] = "2026-11-17T00:00:00Z"; });
        Assert.Equal(TimeSpan.FromDays(7), exactlySeven.Scope.Length);
    }

    [Fact]
    public void Camera_count_is_limited()
    {
        var result = TestRequests.Validator(limits: new AccessRequestLimits { MaxCameras = 1 }).Validate(TestRequests.Bytes(TestRequests.Example()));
        Assert.Equal(["scope.cameras: 2 cameras is more than the limit of 1"], result.Problems);
    }

    [Fact]
    public void Every_problem_is_reported_not_just_the_first()
    {
        var json = TestRequests.Example();
        json["extra"] = true;
        Obj(json, "scope")["cameras"] = new JsonArray("garage");
        Obj(json, "requester")["recipient"] = "nope";
        var problems = TestRequests.Validator().Validate(TestRequests.Bytes(json)).Problems;
        Assert.Equal(3, problems.Count);
        Assert.Contains("extra: unknown property", problems);
        var ex = Assert.Throws<AccessRequestException>(() => TestRequests.Validator().Parse(TestRequests.Bytes(json)));
        Assert.StartsWith("3 problems: ", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, ex.Problems.Count);
    }

    [Fact]
    public void Duplicate_properties_are_refused()
    {
        var text = TestRequests.ExampleText.Replace("\"purpose\":", "\"purpose\": \"first\", \"purpose\":", StringComparison.Ordinal);
        Assert.Equal(["purpose: duplicate property"], TestRequests.Validator().Validate(Encoding.UTF8.GetBytes(text)).Problems);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"purpose\": \"x\",}")]
    [InlineData("// comment\n{}")]
    [InlineData("")]
    public void Malformed_json_is_refused(string text)
    {
        var problems = TestRequests.Validator().Validate(Encoding.UTF8.GetBytes(text)).Problems;
        Assert.Single(problems);
        Assert.StartsWith("request: not valid JSON", problems[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_is_refused()
    {
        var bytes = TestRequests.Bytes(TestRequests.Example());
        var at = Array.IndexOf(bytes, (byte)'V');
        bytes[at] = 0xFF;
        Assert.Equal(["request: not valid UTF-8"], TestRequests.Validator().Validate(bytes).Problems);
    }

    [Fact]
    public void Unpaired_surrogate_is_refused()
    {
        var text = TestRequests.ExampleText.Replace("Elm Street", "Elm \\ud800Street", StringComparison.Ordinal);
        var problems = TestRequests.Validator().Validate(Encoding.UTF8.GetBytes(text)).Problems;
        Assert.Single(problems);
        Assert.StartsWith("purpose: is not valid Unicode", problems[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Root_must_be_an_object()
    {
        Assert.Equal(["request: expected an object, got an array"], TestRequests.Validator().Validate("[]"u8).Problems);
    }

    [Fact]
    public void Oversized_json_is_refused_before_parsing()
    {
        var big = Encoding.UTF8.GetBytes(TestRequests.ExampleText.Replace("Elm Street", "Elm Street" + new string(' ', 70_000), StringComparison.Ordinal));
        Assert.Equal([$"request: {big.Length} bytes is larger than the limit of 65536 bytes"], TestRequests.Validator().Validate(big).Problems);
    }

    [Fact]
    public void Limits_count_characters_not_utf16_units()
    {
        var emoji = string.Concat(Enumerable.Repeat("\U0001F697", 2000)); // 2000 characters, 4000 UTF-16 units
        Assert.Equal(emoji, TestRequests.Parse(j => j["purpose"] = emoji).Purpose);
    }

    [Fact]
    public void Control_characters_are_escaped_in_messages()
    {
        var json = TestRequests.Example();
        Obj(json, "scope")["cameras"] = new JsonArray("front\nx");
        var problem = Assert.Single(TestRequests.Validator().Validate(TestRequests.Bytes(json)).Problems);
        Assert.Equal("scope.cameras[0]: contains control character U+000A", problem);
    }
}
