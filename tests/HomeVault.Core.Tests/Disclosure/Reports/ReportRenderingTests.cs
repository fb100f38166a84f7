using System.Text;
using System.Text.Json;
using HomeVault.Core.Disclosure.Reports;
using HomeVault.Tests;

namespace HomeVault.Core.Tests.Disclosure.Reports;

public sealed class ReportRenderingTests : IDisposable
{
    private readonly ReportHousehold _h = new();
    private readonly TransparencyReport _report;

    public ReportRenderingTests()
    {
        _h.Populate();
        _report = _h.Compute();
    }

    public void Dispose() => _h.Dispose();

    [Fact]
    public void Html_encodes_a_hostile_organisation_name_and_carries_no_script_or_external_asset()
    {
        var html = _report.ToHtml();

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("<td>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot; | *bold* [link](http://evil.example)</td>", html, StringComparison.Ordinal);
        // Self-contained: the only URL is the SVG namespace; no src=, href= or url( anywhere.
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("default-src 'none'", html, StringComparison.Ordinal);
        Assert.Contains("<svg xmlns=\"http://www.w3.org/2000/svg\"", html, StringComparison.Ordinal);
        // One bar segment per non-zero (month, outcome) pair: November has all 10 outcomes, December a denial.
        Assert.Equal(11, html.Split("<rect ").Length - 1);
    }

    [Fact]
    public void Markdown_shows_a_hostile_name_literally_without_raw_html_or_table_breaks()
    {
        var md = _report.ToMarkdown();

        Assert.DoesNotContain("<script", md, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("| &lt;script&gt;alert\\('x'\\)&lt;/script&gt; &amp; \"Co\" \\| \\*bold\\* \\[link\\]\\(http://evil.example\\) | 1 |\n", md, StringComparison.Ordinal);
        Assert.Contains("## Requests received: 11\n", md, StringComparison.Ordinal);
        Assert.Contains("| released, narrowed | 1 |\n", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_has_the_documented_members_in_order_and_round_trips_text()
    {
        using var doc = JsonDocument.Parse(_report.ToJson());
        var root = doc.RootElement;

        Assert.Equal(
            ["format", "generated", "period", "requestsReceived", "byLegalBasis", "byOrganization", "byOutcome", "narrowed",
             "disclosure", "timeToDecision", "byMonth", "checkpoint"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(TransparencyReport.FormatName, root.GetProperty("format").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("period").GetProperty("from").ValueKind);
        Assert.Contains(root.GetProperty("byOrganization").EnumerateArray(),
            o => o.GetProperty("organization").GetString() == ReportHousehold.Hostile && o.GetProperty("requests").GetInt32() == 1);
        var released = root.GetProperty("disclosure").GetProperty("released");
        Assert.Equal(270, released.GetProperty("scopeCameraMinutes").GetDouble());
        Assert.Equal(JsonValueKind.Null, released.GetProperty("clipMinutes").ValueKind);
        Assert.Equal(12600, root.GetProperty("timeToDecision").GetProperty("medianSeconds").GetInt64());
        Assert.Equal(1, root.GetProperty("byMonth")[1].GetProperty("byOutcome").GetProperty("denied").GetInt32());
        // Deterministic for the same catalog, log and clock.
        Assert.Equal(_report.ToJson(), _h.Compute().ToJson());
    }

    [Fact]
    public void Chromium_renders_the_page_with_the_hostile_name_as_text()
    {
        const string chromium = "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            Assert.Skip($"{chromium} is not installed (scripts/setup.sh installs it); the HTML is checked textually by the other tests");
        }
        var page = Path.Combine(_h.Home.Dir, "report.html");
        File.WriteAllText(page, _report.ToHtml(), Encoding.UTF8);
        var png = Path.Combine(_h.Home.Dir, "report.png");
        string[] common = ["--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + Path.Combine(_h.Home.Dir, "chromium")];

        var dom = TestEnv.Run(chromium, [.. common, "--dump-dom", "file://" + page]);
        var shot = TestEnv.Run(chromium, [.. common, "--window-size=1000,1600", "--screenshot=" + png, "file://" + page]);

        Assert.True(dom.Exit == 0, dom.Stderr);
        var text = Encoding.UTF8.GetString(dom.Stdout);
        // Parsed by a real browser, the name is text inside a cell, not an element.
        Assert.DoesNotContain("<script", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;alert('x')&lt;/script&gt;", text, StringComparison.Ordinal);
        Assert.Contains("<rect ", text, StringComparison.Ordinal);
        Assert.True(shot.Exit == 0, shot.Stderr);
        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 10_000, $"screenshot is only {bytes.Length} bytes");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, bytes[..4]);
    }
}
