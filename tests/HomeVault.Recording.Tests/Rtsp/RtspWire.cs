using System.Globalization;
using System.Text;

namespace HomeVault.Recording.Tests.Rtsp;

/// <summary>
/// RTSP messages as the test proxies read them off a stream: the head to its blank line, then Content-Length bytes.
/// The head is Latin-1 text, which turns every byte into one character and back, so a message passes unchanged.
/// </summary>
internal static class RtspWire
{
    /// <summary>The rest of a message whose first byte was <paramref name="first"/>: its head (with the blank line) and its body; null at the end of the stream.</summary>
    public static async Task<(string Head, byte[] Body)?> ReadMessageAsync(Stream reader, byte first, CancellationToken ct)
    {
        var message = new List<byte> { first };
        var one = new byte[1];
        while (!EndsWithBlankLine(message))
        {
            if (await reader.ReadAsync(one, ct) != 1)
            {
                return null;
            }
            message.Add(one[0]);
        }
        var head = Encoding.Latin1.GetString(message.ToArray());
        var length = head.Split("\r\n").Where(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(l => int.Parse(l[15..].Trim(), CultureInfo.InvariantCulture)).FirstOrDefault();
        var body = new byte[length];
        await reader.ReadExactlyAsync(body, ct);
        return (head, body);
    }

    public static async Task WriteMessageAsync(Stream to, (string Head, byte[] Body) message, CancellationToken ct)
    {
        await to.WriteAsync(Encoding.Latin1.GetBytes(message.Head), ct);
        await to.WriteAsync(message.Body, ct);
    }

    /// <summary>Copies one direction of a proxied connection as it is, closing the other end when this one ends.</summary>
    public static async Task PipeAsync(Stream from, Stream to, CancellationToken ct)
    {
        try
        {
            await from.CopyToAsync(to, ct);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
        to.Close();
    }

    private static bool EndsWithBlankLine(List<byte> m) =>
        m.Count >= 4 && m[^4] == '\r' && m[^3] == '\n' && m[^2] == '\r' && m[^1] == '\n';
}
