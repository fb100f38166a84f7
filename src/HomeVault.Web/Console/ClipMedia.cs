using System.Globalization;
using System.Security.Cryptography;
using HomeVault.Core.Audit;
using HomeVault.Core.Vault;
using HomeVault.Web.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Headers;

namespace HomeVault.Web.Console;

/// <summary>
/// A sealed clip's plaintext for the console's player, decrypted in memory with the session's identity as it is sent.
/// Honours one HTTP byte range (<c>bytes=a-b</c>, <c>a-</c>, <c>-n</c>: 206 with Content-Range, 416 when none of it
/// exists) by decrypting only the 64 KiB chunks the range touches, so a browser seeks anywhere at once. Every chunk is
/// authenticated before a byte of it is sent: a bad first chunk answers 500 with no body, a bad later one aborts the
/// response, so the client sees a broken transfer, never a clean one holding unauthenticated bytes.
/// </summary>
internal static class ClipMedia
{
    private const int Buffer = 64 * 1024;

    public static async Task ServeAsync(long id, HttpContext context, WebCatalog catalog)
    {
        var session = ConsoleEndpoints.Session(context);
        if (FootageSummary.FindSealedClip(catalog, id) is not { } c)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        FileStream file;
        try
        {
            file = File.OpenRead(catalog.Data.ResolveInside(c.Path));
        }
        catch (IOException)
        {
            context.Response.StatusCode = StatusCodes.Status410Gone;
            return;
        }
        AgeRandomAccessReader reader;
        try
        {
            reader = AgeRandomAccessReader.Open(file, [session.Identity]);
        }
        catch (AgeException e) when (e.Kind == AgeErrorKind.NoIdentityMatched)
        {
            // Sealed before this owner was added: not theirs to open.
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        catch (AgeException)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }
        using (reader)
        {
            if (ClipViewings.Starts(session, id, catalog.Time.GetUtcNow()))
            {
                catalog.Record(new AuditEvent(session.Owner, AuditActions.ClipViewed, c.Path, new Dictionary<string, string> { ["via"] = "console" }));
            }
            await SendAsync(reader, context).ConfigureAwait(false);
        }
    }

    private static async Task SendAsync(AgeRandomAccessReader reader, HttpContext context)
    {
        var response = context.Response;
        response.Headers.AcceptRanges = "bytes";
        response.ContentType = "video/mp4";
        var length = reader.Length;
        var (from, to) = (0L, length - 1);
        if (Requested(context.Request.GetTypedHeaders(), length) is { } range)
        {
            if (range.From > range.To)
            {
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes */{length}");
                return;
            }
            (from, to) = range;
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {from}-{to}/{length}");
        }
        var buffer = new byte[Buffer];
        try
        {
            var position = from;
            var n = Read(reader, position, to, buffer);
            if (n < 0)
            {
                response.Headers.Remove("Content-Range");
                response.StatusCode = StatusCodes.Status500InternalServerError;
                return;
            }
            response.ContentLength = to - from + 1;
            while (n > 0)
            {
                await response.Body.WriteAsync(buffer.AsMemory(0, n), context.RequestAborted).ConfigureAwait(false);
                position += n;
                n = Read(reader, position, to, buffer);
            }
            if (n < 0)
            {
                context.Abort();
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    /// <summary>Authenticated plaintext from <paramref name="position"/> up to <paramref name="to"/> (inclusive); 0 when done, -1 when the chunk fails.</summary>
    private static int Read(AgeRandomAccessReader reader, long position, long to, byte[] buffer)
    {
        if (position > to)
        {
            return 0;
        }
        try
        {
            return reader.Read(position, buffer.AsSpan(0, (int)Math.Min(buffer.Length, to - position + 1)));
        }
        catch (AgeException)
        {
            return -1;
        }
    }

    /// <summary>
    /// The one byte range asked for, clamped to the clip (From &gt; To when unsatisfiable); null for the whole clip: no
    /// Range, several ranges (allowed to be ignored), another unit, or an If-Range (we send no validator it could match).
    /// </summary>
    private static (long From, long To)? Requested(RequestHeaders headers, long length)
    {
        var range = headers.Range;
        if (range is null || range.Unit != "bytes" || range.Ranges.Count != 1 || headers.IfRange is not null)
        {
            return null;
        }
        var item = range.Ranges.Single();
        if (item.From is { } from)
        {
            return from >= length ? (1, 0) : (from, Math.Min(item.To ?? long.MaxValue, length - 1));
        }
        var suffix = item.To ?? 0;
        return suffix == 0 || length == 0 ? (1, 0) : (Math.Max(0, length - suffix), length - 1);
    }
}
