using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using HomeVault.Core;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Clips;

namespace HomeVault.Web.Tests;

/// <summary>
/// Seeking at the HTTP level: the console answers byte ranges of a sealed clip with exactly the bytes
/// `homevault decrypt` gives for the same file, decrypting only the chunks the range needs; a damaged chunk inside a
/// range breaks the response before any of its bytes go out; one viewing is one audit entry however many ranges.
/// </summary>
public sealed class ClipRangeTests
{
    private const int Chunk = 64 * 1024;

    [Fact]
    public async Task Ranges_at_chunk_boundaries_inside_across_and_at_the_end_match_homevault_decrypt()
    {
        await using var host = await WebHost.StartAsync();
        var (id, file) = Seal(host.Data, RandomNumberGenerator.GetBytes((4 * Chunk) + 1234));
        var plain = Decrypt(host, file);
        var n = plain.Length;
        using var client = new ConsoleClient(host.Console);
        using (await client.Unlock())
        {
        }
        var media = $"/console/clips/{id}/media";

        using (var whole = await client.Get(media))
        {
            Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
            Assert.Equal("bytes", string.Join(",", whole.Headers.AcceptRanges));
            Assert.Equal(plain, await whole.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        }
        (string Header, int From, int To)[] cases =
        [
            ("bytes=0-0", 0, 0),
            ($"bytes=0-{Chunk - 1}", 0, Chunk - 1),                       // exactly chunk 0
            ($"bytes={Chunk}-{(2 * Chunk) - 1}", Chunk, (2 * Chunk) - 1),  // exactly chunk 1
            ($"bytes={Chunk - 1}-{Chunk}", Chunk - 1, Chunk),             // the last byte of one chunk and the first of the next
            ("bytes=1000-2000", 1000, 2000),                              // inside a chunk
            ($"bytes=100-{(3 * Chunk) + 5}", 100, (3 * Chunk) + 5),       // across four chunks
            ($"bytes={4 * Chunk}-", 4 * Chunk, n - 1),                    // the short final chunk, open-ended
            ($"bytes={n - 1}-{n + 5000}", n - 1, n - 1),                  // the last byte, the end clamped
            ("bytes=-500", n - 500, n - 1),                               // a suffix
            ($"bytes=-{n + 10}", 0, n - 1),                               // a suffix longer than the clip
        ];
        foreach (var (header, from, to) in cases)
        {
            using var response = await Range(client, media, header);
            Assert.True(response.StatusCode == HttpStatusCode.PartialContent, $"{header}: {response.StatusCode}");
            Assert.Equal($"bytes {from}-{to}/{n}", response.Content.Headers.ContentRange?.ToString());
            var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
            Assert.True(plain.AsSpan(from, to - from + 1).SequenceEqual(body), $"{header}: the bytes differ from homevault decrypt's");
        }
        foreach (var header in new[] { $"bytes={n}-", $"bytes={n + 100}-{n + 200}", "bytes=-0" })
        {
            using var response = await Range(client, media, header);
            Assert.True(response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable, $"{header}: {response.StatusCode}");
            Assert.Equal($"bytes */{n}", response.Content.Headers.ContentRange?.ToString());
        }
        // One viewing, however many requests it took.
        Assert.Equal(1, Viewings(host.Data, file));
    }

    [Fact]
    public async Task A_tampered_chunk_inside_a_range_fails_the_response_and_none_of_its_plaintext_is_sent()
    {
        await using var host = await WebHost.StartAsync();
        var (id, file) = Seal(host.Data, RandomNumberGenerator.GetBytes((4 * Chunk) + 1234));
        var plain = Decrypt(host, file);
        var path = Path.Combine(host.Data, file);
        var bytes = File.ReadAllBytes(path);
        var payload = bytes.Length - (5 * 16) - plain.Length; // header + nonce: what is not chunks and tags
        bytes[payload + (2 * (Chunk + 16)) + 100] ^= 0x01;    // inside chunk 2
        File.WriteAllBytes(path, bytes);

        using var client = new ConsoleClient(host.Console);
        using (await client.Unlock())
        {
        }
        var media = $"/console/clips/{id}/media";
        // Chunks 0 and 1 still authenticate and are served.
        using (var good = await Range(client, media, $"bytes=10-{(2 * Chunk) - 1}"))
        {
            Assert.Equal(HttpStatusCode.PartialContent, good.StatusCode);
            Assert.Equal(plain.AsSpan(10, (2 * Chunk) - 10).ToArray(), await good.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        }
        // A range that starts in chunk 1 and runs into chunk 2: the response breaks after chunk 1's bytes.
        using (var broken = await Range(client, media, $"bytes={Chunk + 5}-{(3 * Chunk) + 5}"))
        {
            Assert.Equal(HttpStatusCode.PartialContent, broken.StatusCode);
            var received = new MemoryStream();
            var stream = await broken.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
            var failed = false;
            try
            {
                await stream.CopyToAsync(received, TestContext.Current.CancellationToken);
            }
            catch (HttpRequestException)
            {
                failed = true;
            }
            catch (IOException)
            {
                failed = true;
            }
            Assert.True(failed, $"the response ended cleanly after {received.Length} bytes");
            Assert.True(received.Length <= Chunk - 5, $"{received.Length} bytes received: more than chunk 1 holds");
            Assert.Equal(plain.AsSpan(Chunk + 5, (int)received.Length).ToArray(), received.ToArray());
        }
        // A range that starts in the bad chunk: an error, no body.
        using (var bad = await Range(client, media, $"bytes={(2 * Chunk) + 1}-{(2 * Chunk) + 10}"))
        {
            Assert.Equal(HttpStatusCode.InternalServerError, bad.StatusCode);
            Assert.Empty(await bad.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        }
    }

    private static async Task<HttpResponseMessage> Range(ConsoleClient client, string path, string range)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Range", range);
        return await client.Send(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>Seals <paramref name="plaintext"/> as a clip of camera "front" through the production clip store; its id and relative path.</summary>
    private static (long Id, string Path) Seal(string dataDir, byte[] plaintext)
    {
        var data = new DataDirectory(dataDir);
        using var db = CatalogDatabase.Open(data.CatalogPath);
        using var audit = InstallationAudit.Open(data, db);
        var store = new ClipStore(data, db, audit.Log);
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);
        using var clip = store.Begin("front", null, start);
        clip.Write(plaintext);
        var sealedClip = clip.Complete(start.AddSeconds(10));
        return (sealedClip.Id, sealedClip.Path);
    }

    /// <summary>The clip's plaintext as `homevault decrypt` writes it with the owner's sealed identity.</summary>
    private static byte[] Decrypt(WebHost host, string relative)
    {
        var output = Path.Combine(host.Dir, "decrypted-" + Guid.NewGuid().ToString("N"));
        var r = Homevault.Run("decrypt", "--data", host.Data, "--passphrase-file", host.PassFile, "-o", output, Path.Combine(host.Data, relative));
        Assert.True(r.Exit == 0, r.Stderr);
        var plain = File.ReadAllBytes(output);
        File.Delete(output);
        return plain;
    }

    private static int Viewings(string data, string relative)
    {
        var r = Homevault.Run("audit", "log", "--json", "--data", data);
        Assert.True(r.Exit == 0, r.Stderr);
        return JsonDocument.Parse(r.Stdout).RootElement.EnumerateArray()
            .Count(e => e.GetProperty("action").GetString() == AuditActions.ClipViewed && e.GetProperty("subject").GetString() == relative);
    }
}
