using System.Text;
using System.Text.Json.Nodes;
using HomeVault.Core.Tests.Disclosure.Requests;

namespace HomeVault.Core.Tests.Warrants;

public sealed class CanonicalJsonTests
{
    // Computed independently: Python json.dumps(sort_keys=True, separators=(',', ':'), ensure_ascii=False) of the
    // example with cameras sorted, and hashlib.sha256 of its UTF-8 bytes.
    private const string ExampleCanonical =
        "{\"legalBasis\":{\"expiresOn\":\"2026-12-20\",\"issuedBy\":\"Springfield District Court\",\"issuedOn\":\"2026-11-20\",\"reference\":\"SW-2026-0142\",\"type\":\"search-warrant\"}," +
        "\"purpose\":\"Vehicle break-in reported on Elm Street\"," +
        "\"requester\":{\"contact\":\"records@springfield.example\",\"organization\":\"Springfield Police Department\",\"recipient\":\"age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\"}," +
        "\"scope\":{\"cameras\":[\"drive\",\"front\"],\"from\":\"2026-11-19T20:00:00Z\",\"to\":\"2026-11-19T22:00:00Z\"}}";

    private const string ExampleDigest = "d62c4079eb6f5c648882577a7bcfba8aa5c8ddc78162f00cf4e7af9ea9c7b719";

    [Fact]
    public void Example_has_the_documented_canonical_form_and_digest()
    {
        var request = TestRequests.Parse();
        Assert.Equal(ExampleCanonical, Encoding.UTF8.GetString(request.ToCanonicalJson()));
        Assert.Equal(ExampleDigest, request.Digest());
    }

    [Fact]
    public void Same_request_written_differently_has_the_same_digest()
    {
        // Different key order, whitespace, camera order, offsets and escapes; same meaning.
        const string text = """
            {
              "purpose" : "Vehicle break-in reported on \u0045lm Street",
              "scope": { "to": "2026-11-19T23:00:00+01:00", "from": "2026-11-19T15:00:00.000-05:00", "cameras": [ "front", "drive" ] },
              "legalBasis": { "type": "search-warrant", "expiresOn": "2026-12-20", "issuedOn": "2026-11-20",
                              "issuedBy": "Springfield District Court", "reference": "SW-2026-0142" },
              "requester": { "recipient": "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p",
                             "organization": "Springfield Police Department", "contact": "records@springfield.example" }
            }
            """;
        var request = TestRequests.Validator().Parse(Encoding.UTF8.GetBytes(text));
        Assert.Equal(ExampleDigest, request.Digest());
        Assert.Equal(ExampleDigest, TestRequests.Parse().Digest());
    }

    [Theory]
    [InlineData("purpose", "Vehicle break-in reported on Oak Street")]
    [InlineData("scope.to", "2026-11-19T22:00:00.001Z")]
    [InlineData("legalBasis.reference", "SW-2026-0143")]
    [InlineData("requester.contact", "Records@springfield.example")]
    public void Any_change_of_meaning_changes_the_digest(string field, string value)
    {
        var request = TestRequests.Parse(j =>
        {
            var parts = field.Split('.');
            var target = parts.Length == 1 ? j : j[parts[0]]!.AsObject();
            target[parts[^1]] = value;
        });
        Assert.NotEqual(ExampleDigest, request.Digest());
    }

    [Fact]
    public void Absent_optional_fields_are_omitted_and_milliseconds_kept()
    {
        var request = TestRequests.Parse(j =>
        {
            j["legalBasis"] = new JsonObject { ["type"] = "voluntary" };
            j["scope"]!["to"] = "2026-11-19T21:59:59.5Z";
        });
        var json = Encoding.UTF8.GetString(request.ToCanonicalJson());
        Assert.StartsWith("{\"legalBasis\":{\"type\":\"voluntary\"},", json, StringComparison.Ordinal);
        Assert.Contains("\"to\":\"2026-11-19T21:59:59.500Z\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("null", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Strings_are_escaped_as_rfc8785_and_non_ascii_written_literally()
    {
        var request = TestRequests.Parse(j => j["purpose"] = "Quote \" backslash \\ slash / café \U0001F697 <tag>");
        var json = Encoding.UTF8.GetString(request.ToCanonicalJson());
        Assert.Contains("\"purpose\":\"Quote \\\" backslash \\\\ slash / café \U0001F697 <tag>\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Canonical_json_is_itself_accepted_and_is_a_fixed_point()
    {
        var once = TestRequests.Parse().ToCanonicalJson();
        var twice = TestRequests.Validator().Parse(once).ToCanonicalJson();
        Assert.Equal(once, twice);
    }
}
