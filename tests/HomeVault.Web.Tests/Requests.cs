using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace HomeVault.Web.Tests;

/// <summary>Request bodies and a client that submits them.</summary>
internal static class Requests
{
    public static string Json(string cameras = "\"front\", \"drive\"", string recipient = WebHost.Recipient, string from = "2026-11-19T20:00:00Z", string to = "2026-11-19T22:00:00Z") => $$"""
        { "requester": { "organization": "Springfield Police Department", "contact": "records@springfield.example", "recipient": "{{recipient}}" },
          "legalBasis": { "type": "search-warrant", "reference": "SW-2026-0142", "issuedBy": "Springfield District Court", "issuedOn": "{{DateTime.UtcNow.AddDays(-2):yyyy-MM-dd}}", "expiresOn": "{{DateTime.UtcNow.AddDays(28):yyyy-MM-dd}}" },
          "scope": { "cameras": [{{cameras}}], "from": "{{from}}", "to": "{{to}}" },
          "purpose": "Vehicle break-in reported on Elm Street" }
        """;

    public static HttpClient Client(Uri baseAddress, string? token)
    {
        var client = new HttpClient { BaseAddress = baseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    public static Task<HttpResponseMessage> Submit(HttpClient client, string json) =>
        client.PostAsync("/api/requests", new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Submits <paramref name="json"/>, which must be accepted (201), and returns the new request's id.</summary>
    public static async Task<string> Create(HttpClient client, string json)
    {
        using var created = await Submit(client, json);
        var text = await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(created.StatusCode == HttpStatusCode.Created, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>An instant as the request JSON carries it (UTC, whole seconds).</summary>
    public static string Wire(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Raw bytes under a Content-Type sent exactly as given (HttpClient would otherwise normalise or refuse it).</summary>
    public static Task<HttpResponseMessage> Submit(HttpClient client, byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return client.PostAsync("/api/requests", content);
    }
}
