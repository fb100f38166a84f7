using System.Net;
using System.Text.RegularExpressions;

namespace HomeVault.Web.Tests;

/// <summary>A browser-like client of the console: keeps cookies, does not follow redirects, fills antiforgery fields.</summary>
internal sealed partial class ConsoleClient : IDisposable
{
    private readonly HttpClient _http;

    public ConsoleClient(Uri console)
    {
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = console };
    }

    /// <summary>The session cookie once unlocked (for a WebSocket beside the HTTP client).</summary>
    public CookieContainer Cookies { get; } = new();

    public Task<HttpResponseMessage> Get(string path) => _http.GetAsync(path);

    public Task<HttpResponseMessage> Send(HttpRequestMessage request, HttpCompletionOption completion) => _http.SendAsync(request, completion);

    /// <summary>Posts a form, with the antiforgery token from <paramref name="formPage"/> unless told not to.</summary>
    public async Task<HttpResponseMessage> Post(string formPage, string action, IEnumerable<KeyValuePair<string, string>> fields, bool withToken = true)
    {
        var page = await (await _http.GetAsync(formPage)).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var all = fields.ToList();
        if (withToken)
        {
            var token = CsrfField().Match(page);
            Assert.True(token.Success, "no antiforgery field on " + formPage);
            all.Add(new("_csrf", WebUtility.HtmlDecode(token.Groups[1].Value)));
        }
        return await _http.PostAsync(action, new FormUrlEncodedContent(all));
    }

    public Task<HttpResponseMessage> Unlock(string passphrase = WebHost.Passphrase) =>
        Post("/console/login", "/console/login", [new("owner", "alice"), new("passphrase", passphrase)]);

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("name=\"_csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
