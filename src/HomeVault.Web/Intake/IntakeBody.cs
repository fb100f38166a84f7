using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using HomeVault.Core.Disclosure.Requests;

namespace HomeVault.Web.Intake;

/// <summary>
/// Reads a submission: the request JSON, and optionally the warrant PDF. Both are held in memory only (the PDF is
/// sealed to the owners before it touches the disk; ASP.NET's form binding would spool it to a temp file in the
/// clear), each against its own limit.
/// </summary>
internal sealed record IntakeBody(byte[] Json, byte[]? Document)
{
    private const int MultipartOverhead = 16 * 1024;

    public static long MaxBytes(AccessRequestLimits limits) => limits.MaxJsonBytes + limits.MaxDocumentBytes + MultipartOverhead;

    /// <summary>The body, or the answer to give instead (400, 413, 415).</summary>
    public static async Task<(IntakeBody? Body, IResult? Refusal)> ReadAsync(HttpRequest request, AccessRequestLimits limits, CancellationToken ct)
    {
        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = MaxBytes(limits);
        }
        try
        {
            if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type))
            {
                return (null, IntakeProblems.UnsupportedMedia());
            }
            if (IntakeMediaType.IsJson(type))
            {
                if (request.ContentLength > limits.MaxJsonBytes)
                {
                    return (null, IntakeProblems.TooLarge(limits.MaxJsonBytes));
                }
                var json = await ReadCapped(request.Body, limits.MaxJsonBytes, ct).ConfigureAwait(false);
                return json is null ? (null, IntakeProblems.TooLarge(limits.MaxJsonBytes)) : (new IntakeBody(json, null), null);
            }
            if (IntakeMediaType.MultipartBoundary(type) is { } boundary)
            {
                if (request.ContentLength > MaxBytes(limits))
                {
                    return (null, IntakeProblems.TooLarge(MaxBytes(limits)));
                }
                return await ReadMultipart(new MultipartReader(boundary, request.Body), limits, ct).ConfigureAwait(false);
            }
            return (null, IntakeProblems.UnsupportedMedia());
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, IntakeProblems.TooLarge(MaxBytes(limits)));
        }
        catch (IOException ex) when (ex is not EndOfStreamException)
        {
            return (null, IntakeProblems.Malformed("the body could not be read: " + ex.Message));
        }
        catch (InvalidDataException ex)
        {
            return (null, IntakeProblems.Malformed("malformed multipart body: " + ex.Message));
        }
    }

    private static async Task<(IntakeBody?, IResult?)> ReadMultipart(MultipartReader reader, AccessRequestLimits limits, CancellationToken ct)
    {
        byte[]? json = null;
        byte[]? document = null;
        while (await reader.ReadNextSectionAsync(ct).ConfigureAwait(false) is { } section)
        {
            var name = ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                ? HeaderUtilities.RemoveQuotes(disposition.Name).Value
                : null;
            switch (name)
            {
                case "request" when json is null:
                    json = await ReadCapped(section.Body, limits.MaxJsonBytes, ct).ConfigureAwait(false);
                    if (json is null)
                    {
                        return (null, IntakeProblems.TooLarge(limits.MaxJsonBytes));
                    }
                    break;
                case "document" when document is null:
                    document = await ReadCapped(section.Body, (int)Math.Min(limits.MaxDocumentBytes, int.MaxValue - 1), ct).ConfigureAwait(false);
                    if (document is null)
                    {
                        return (null, IntakeProblems.TooLarge(limits.MaxDocumentBytes));
                    }
                    break;
                default:
                    return (null, IntakeProblems.Malformed($"unexpected or repeated multipart part '{name}' (expected 'request' and optionally 'document')"));
            }
        }
        return json is null
            ? (null, IntakeProblems.Malformed("the multipart body has no 'request' part"))
            : (new IntakeBody(json, document), null);
    }

    /// <summary>At most <paramref name="limit"/> bytes, or null when there is more.</summary>
    private static async Task<byte[]?> ReadCapped(Stream body, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > limit)
            {
                return null;
            }
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }
}
