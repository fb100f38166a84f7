using System.Globalization;
using System.Text.Json;
using HomeVault.Core;
using HomeVault.Recording.Configuration;
using HomeVault.Recording.Processes;

namespace HomeVault.Recording.Ffmpeg;

/// <summary>What <c>homevault cameras test NAME</c> shows. Holds no credentials.</summary>
public sealed record CameraProbeResult(string VideoCodec, int Width, int Height, double FrameRate, string? AudioCodec, int? AudioSampleRate);

/// <summary>Thrown when a probe fails; the message is scrubbed of credentials.</summary>
public sealed class CameraProbeException : UserError
{
    public CameraProbeException()
    {
    }

    public CameraProbeException(string message) : base(message)
    {
    }

    public CameraProbeException(string message, Exception inner) : base(message, inner)
    {
    }
}

/// <summary>
/// Asks ffprobe about a camera, with the same credential handling as the ingest. A failure's message says what went
/// wrong only; the caller, which knows which camera it asked about, names it.
/// </summary>
public static class CameraProbe
{
    public static async Task<CameraProbeResult> ProbeAsync(CameraOptions camera, string ffprobePath = "ffprobe",
        TimeSpan? timeout = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(camera);
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        var credentials = camera.CredentialsFile is { } f ? CameraCredentials.Load(f) : null;
        using var input = IngestInput.Create(camera.Url, credentials, camera.Transport, limit);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(limit + TimeSpan.FromSeconds(5));
        await using var ffprobe = ChildProcess.Start(ffprobePath, ["-v", "error", "-of", "json", "-show_streams", .. input.Arguments],
            new ChildOptions { Output = true, Scrubber = input.Scrubber }, timer.Token);
        using var reader = new StreamReader(ffprobe.StandardOutput);
        var stdout = reader.ReadToEndAsync(CancellationToken.None);
        var exit = await ffprobe.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        if (exit.Killed)
        {
            ct.ThrowIfCancellationRequested();
            throw new CameraProbeException("ffprobe timed out");
        }
        if (!exit.Success)
        {
            throw new CameraProbeException(exit.Describe());
        }
        return Parse(await stdout.ConfigureAwait(false));
    }

    internal static CameraProbeResult Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        string? vcodec = null, acodec = null;
        int width = 0, height = 0;
        int? rate = null;
        double fps = 0;
        foreach (var s in doc.RootElement.GetProperty("streams").EnumerateArray())
        {
            var type = s.GetProperty("codec_type").GetString();
            if (type == "video" && vcodec is null)
            {
                vcodec = s.GetProperty("codec_name").GetString();
                width = s.TryGetProperty("width", out var w) ? w.GetInt32() : 0;
                height = s.TryGetProperty("height", out var h) ? h.GetInt32() : 0;
                fps = Rate(s, "avg_frame_rate") is > 0 and var avg ? avg : Rate(s, "r_frame_rate");
            }
            else if (type == "audio" && acodec is null)
            {
                acodec = s.GetProperty("codec_name").GetString();
                rate = s.TryGetProperty("sample_rate", out var sr) && int.TryParse(sr.GetString(), CultureInfo.InvariantCulture, out var r) ? r : null;
            }
        }
        return new CameraProbeResult(vcodec ?? throw new CameraProbeException("no video stream"), width, height, fps, acodec, rate);
    }

    private static double Rate(JsonElement s, string name)
    {
        if (!s.TryGetProperty(name, out var v) || v.GetString() is not { } text)
        {
            return 0;
        }
        var parts = text.Split('/');
        return parts.Length == 2 && double.TryParse(parts[0], CultureInfo.InvariantCulture, out var n) &&
               double.TryParse(parts[1], CultureInfo.InvariantCulture, out var d) && d != 0 ? n / d : 0;
    }
}
