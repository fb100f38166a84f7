using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;

namespace HomeVault.Web.Tests;

/// <summary>`POST /api/requests` over a real listener: tokens, validation, limits, and what a requester can learn.</summary>
public sealed class IntakeTests(SharedWebHost shared) : IClassFixture<SharedWebHost>
{
    [Fact]
    public async Task A_valid_request_with_the_requesters_token_is_created_pending_and_audited_with_the_requester()
    {
        var host = shared.Host;
        using var client = Requests.Client(host.Intake, host.Token);
        using var response = await Requests.Submit(client, Requests.Json());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var id = body.RootElement.GetProperty("id").GetString()!;
        Assert.StartsWith("req_", id);
        Assert.Equal("pending", body.RootElement.GetProperty("state").GetString());

        var list = Homevault.Run("requests", "list", "--json", "--data", host.Data);
        Assert.Contains(id, list.Stdout);
        using var db = CatalogDatabase.Open(new DataDirectory(host.Data).CatalogPath);
        using var audit = InstallationAudit.Open(new DataDirectory(host.Data), db);
        var received = audit.Log.GetEntries(0, (int)audit.Log.Size()).Single(e => e.Event.Action == AuditActions.RequestReceived && e.Event.Subject == "request/" + id);
        Assert.Equal("requester/spd", received.Event.Actor);
        Assert.Equal("request/" + id, received.Event.Subject);
        Assert.Equal("spd", received.Event.Details["requester"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("hvr_not-a-real-token")]
    [InlineData("")]
    public async Task Missing_or_bad_tokens_get_401_with_a_bearer_challenge(string? token)
    {
        var host = shared.Host;
        var before = RequestCount(host);
        using var client = Requests.Client(host.Intake, null);
        if (token is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }
        using var response = await Requests.Submit(client, Requests.Json());
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, RequestCount(host));
    }

    [Fact]
    public async Task A_revoked_requesters_token_stops_working()
    {
        await using var host = await WebHost.StartAsync();
        using var client = Requests.Client(host.Intake, host.Token);
        using (var before = await Requests.Submit(client, Requests.Json()))
        {
            Assert.Equal(HttpStatusCode.Created, before.StatusCode);
        }
        var revoke = Homevault.Run("requesters", "revoke", "spd", "--data", host.Data);
        Assert.Equal(0, revoke.Exit);
        using var after = await Requests.Submit(client, Requests.Json());
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        var host = shared.Host;
        using var client = Requests.Client(host.Intake, host.Token);
        using var response = await Requests.Submit(client, "{ \"requester\": ");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains("not valid JSON", problem.RootElement.GetProperty("errors").GetProperty("request")[0].GetString());
    }

    [Theory]
    [InlineData(new byte[] { 0x66, 0xC3, 0x28 })] // "f", then a two-byte lead with a bad continuation
    [InlineData(new byte[] { 0xFF, 0xFE })]
    public async Task A_camera_name_that_is_not_valid_utf8_is_a_400_problem(byte[] bad)
    {
        var host = shared.Host;
        var before = RequestCount(host);
        var json = Encoding.UTF8.GetBytes(Requests.Json(cameras: "\"CAMERA\""));
        var at = json.AsSpan().IndexOf("CAMERA"u8);
        byte[] body = [.. json.AsSpan(0, at), .. bad, .. json.AsSpan(at + "CAMERA".Length)];
        using var client = Requests.Client(host.Intake, host.Token);
        using var response = await Requests.Submit(client, body, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("not valid UTF-8", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(before, RequestCount(host));
    }

    [Fact]
    public async Task A_camera_name_with_an_unpaired_surrogate_is_a_400_problem()
    {
        var host = shared.Host;
        using var client = Requests.Client(host.Intake, host.Token);
        using var response = await Requests.Submit(client, Requests.Json(cameras: "\"front\", \"\\ud800\""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.True(problem.RootElement.GetProperty("errors").EnumerateObject().Any(p => p.Name.StartsWith("scope.cameras", StringComparison.Ordinal)),
            problem.RootElement.ToString());
    }

    [Theory]
    [InlineData("application/json-patch+json")]
    [InlineData("application/problem+json")]
    [InlineData("application/json; charset=latin1")]
    [InlineData("application/json; charset=utf-8; extra=1")]
    [InlineData("text/json")]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/mixed; boundary=abc")]
    public async Task Content_types_other_than_json_and_multipart_form_are_415(string contentType)
    {
        var host = shared.Host;
        var before = RequestCount(host);
        using var client = Requests.Client(host.Intake, host.Token);
        using var response = await Requests.Submit(client, Encoding.UTF8.GetBytes(Requests.Json()), contentType);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, RequestCount(host));
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON; Charset=\"UTF-8\"")]
    public async Task Json_is_accepted_as_application_json_with_an_optional_utf8_charset(string contentType)
    {
        var host = shared.Host;
        using var client = Requests.Client(host.Intake, host.Token);
        using var response = await Requests.Submit(client, Encoding.UTF8.GetBytes(Requests.Json()), contentType);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_invalid_request_names_every_field_once()
    {
        var host = shared.Host;
        using var client = Requests.Client(host.Intake, host.Token);
        // Inverted window and a recipient that is not an age key.
        using var response = await Requests.Submit(client, Requests.Json(recipient: "age1nope", from: "2026-11-19T22:00:00Z", to: "2026-11-19T20:00:00Z"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var errors = problem.RootElement.GetProperty("errors");
        Assert.Contains("not a valid age X25519 recipient", errors.GetProperty("requester.recipient")[0].GetString());
        Assert.True(errors.EnumerateObject().Any(p => p.Name.StartsWith("scope", StringComparison.Ordinal)), errors.ToString());
    }

    [Fact]
    public async Task A_request_must_name_the_recipient_its_token_was_issued_for()
    {
        var host = shared.Host;
        using var client = Requests.Client(host.Intake, host.Token);
        using var identity = HomeVault.Core.Vault.X25519Identity.Generate();
        using var response = await Requests.Submit(client, Requests.Json(recipient: identity.Recipient.ToString()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("must be the recipient your token was issued for", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Cameras_that_do_not_exist_are_answered_exactly_like_cameras_that_do()
    {
        var host = shared.Host;
        // A camera row exists for 'front' only (as the recorder makes one); 'garage' is not a camera here.
        using (var db = CatalogDatabase.Open(new DataDirectory(host.Data).CatalogPath))
        {
            new CameraRepository(db).Ensure("front", DateTimeOffset.UtcNow);
        }
        using var client = Requests.Client(host.Intake, host.Token);
        using var known = await Requests.Submit(client, Requests.Json(cameras: "\"front\""));
        using var unknown = await Requests.Submit(client, Requests.Json(cameras: "\"garage\""));
        Assert.Equal(HttpStatusCode.Created, known.StatusCode);
        Assert.Equal(HttpStatusCode.Created, unknown.StatusCode);
        static string[] Shape(string json) => JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(Shape(await known.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)), Shape(await unknown.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_and_nothing_is_stored()
    {
        var host = shared.Host;
        var before = RequestCount(host);
        using var client = Requests.Client(host.Intake, host.Token);
        var huge = Requests.Json().Replace("Vehicle break-in", new string('x', AccessRequestLimits.Default.MaxJsonBytes), StringComparison.Ordinal);
        using var response = await Requests.Submit(client, huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(before, RequestCount(host));
    }

    [Fact]
    public async Task A_warrant_pdf_sent_as_multipart_is_stored_sealed_with_its_hash()
    {
        var host = shared.Host;
        using var client = Requests.Client(host.Intake, host.Token);
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% a warrant\n%%EOF\n");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(Requests.Json(), Encoding.UTF8, "application/json"), "request" },
            { new ByteArrayContent(pdf) { Headers = { ContentType = new MediaTypeHeaderValue("application/pdf") } }, "document", "warrant.pdf" },
        };
        using var response = await client.PostAsync("/api/requests", form, TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("id").GetString()!;
        var sealedPath = Path.Combine(host.Data, "requests", id, "warrant.pdf.age");
        Assert.True(File.Exists(sealedPath));
        Assert.StartsWith("age-encryption.org/v1", Encoding.ASCII.GetString(File.ReadAllBytes(sealedPath).AsSpan(0, 21)));
        var show = Homevault.Run("requests", "show", id, "--data", host.Data);
        Assert.Contains(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf)), show.Stdout);
    }

    [Fact]
    public async Task Past_the_rate_limit_the_intake_answers_429()
    {
        await using var host = await WebHost.StartAsync(o => o.IntakePermitsPerMinute = 3);
        using var client = Requests.Client(host.Intake, "hvr_wrong");
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var r = await Requests.Submit(client, Requests.Json());
            codes.Add(r.StatusCode);
        }
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], codes);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Behind_a_trusted_proxy_each_forwarded_client_has_its_own_rate_window(bool trusted)
    {
        await using var host = await WebHost.StartAsync(o =>
        {
            o.IntakePermitsPerMinute = 2;
            if (trusted)
            {
                o.TrustedProxies.Add("127.0.0.1");
                o.TrustedProxies.Add("::1");
            }
        });
        using var client = Requests.Client(host.Intake, "hvr_wrong");
        async Task<HttpStatusCode> From(string address)
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, "/api/requests") { Content = new StringContent(Requests.Json(), Encoding.UTF8, "application/json") };
            message.Headers.Add("X-Forwarded-For", address);
            using var r = await client.SendAsync(message, TestContext.Current.CancellationToken);
            return r.StatusCode;
        }
        var first = new[] { await From("203.0.113.1"), await From("203.0.113.1"), await From("203.0.113.1") };
        var other = await From("203.0.113.2");
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], first);
        // Trusted: the second client is someone else. Not trusted: the header is ignored and both are the proxy.
        Assert.Equal(trusted ? HttpStatusCode.Unauthorized : HttpStatusCode.TooManyRequests, other);
    }

    [Fact]
    public async Task An_unknown_download_link_is_404()
    {
        var host = shared.Host;
        using var client = Requests.Client(host.Intake, null);
        using var response = await client.GetAsync("/download/cap_doesnotexist", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static int RequestCount(WebHost host)
    {
        using var db = CatalogDatabase.Open(new DataDirectory(host.Data).CatalogPath);
        return new RequestRepository(db).List().Count;
    }
}
