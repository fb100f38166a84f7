using System.Globalization;

namespace HomeVault.Recording.Rtsp;

/// <summary>One m= section of an SDP (RFC 4566): its type, first payload type with rtpmap and fmtp, and its control URL.</summary>
internal sealed record SdpMedia(string Type, int PayloadType, string Encoding, int ClockRate, IReadOnlyDictionary<string, string> Format, string? Control)
{
    /// <summary>fmtp parameter names are case-insensitive (RFC 6184 8.1: <c>sprop-parameter-sets</c>).</summary>
    public string? Parameter(string name) => Format.TryGetValue(name, out var v) ? v : null;
}

/// <summary>The parts of a DESCRIBE answer the client uses: the session-level control and the media sections.</summary>
internal sealed record Sdp(string? Control, IReadOnlyList<SdpMedia> Media)
{
    public static Sdp Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? sessionControl = null;
        var media = new List<SdpMedia>();
        (string Type, int Pt)? current = null;
        string? encoding = null, control = null;
        var clock = 0;
        var format = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        void Finish()
        {
            if (current is { } c)
            {
                media.Add(new SdpMedia(c.Type, c.Pt, encoding ?? StaticEncoding(c.Pt), clock != 0 ? clock : StaticClock(c.Pt), format, control));
            }
        }

        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length < 2 || line[1] != '=')
            {
                continue;
            }
            var value = line[2..];
            if (line[0] == 'm')
            {
                Finish();
                var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 4 || !int.TryParse(parts[3], CultureInfo.InvariantCulture, out var pt))
                {
                    throw new InvalidDataException($"SDP: malformed media line '{line}'");
                }
                current = (parts[0], pt);
                (encoding, control, clock) = (null, null, 0);
                format = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            }
            else if (line[0] == 'a' && Attribute(value, "control") is { } c)
            {
                if (current is null)
                {
                    sessionControl = c;
                }
                else
                {
                    control = c;
                }
            }
            else if (line[0] == 'a' && current is { } m && Attribute(value, "rtpmap") is { } map && PayloadOf(map, out var rest) == m.Pt)
            {
                var enc = rest.Split('/');
                encoding = enc[0].ToUpperInvariant();
                clock = enc.Length > 1 && int.TryParse(enc[1], CultureInfo.InvariantCulture, out var r) ? r : 0;
            }
            else if (line[0] == 'a' && current is { } fm && Attribute(value, "fmtp") is { } fmtp && PayloadOf(fmtp, out var pars) == fm.Pt)
            {
                foreach (var p in pars.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var eq = p.IndexOf('=', StringComparison.Ordinal);
                    if (eq > 0)
                    {
                        format[p[..eq].Trim()] = p[(eq + 1)..].Trim();
                    }
                }
            }
        }
        Finish();
        return new Sdp(sessionControl, media);
    }

    private static string? Attribute(string value, string name) =>
        value.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase) ? value[(name.Length + 1)..].Trim() : null;

    private static int PayloadOf(string value, out string rest)
    {
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        rest = space < 0 ? "" : value[(space + 1)..].Trim();
        return int.TryParse(space < 0 ? value : value[..space], CultureInfo.InvariantCulture, out var pt) ? pt : -1;
    }

    /// <summary>RFC 3551's static payload types the client may meet without an rtpmap.</summary>
    private static string StaticEncoding(int pt) => pt switch
    {
        0 => "PCMU",
        8 => "PCMA",
        14 => "MPA",
        26 => "JPEG",
        _ => $"PT{pt}",
    };

    private static int StaticClock(int pt) => pt is 0 or 8 ? 8000 : 90000;

    /// <summary>
    /// A control attribute made absolute: as is when it is a URL, the base for <c>*</c>, else appended to the base
    /// (what cameras expect, and what ffmpeg and GStreamer do, rather than RFC 3986 resolution that drops the last segment).
    /// </summary>
    public static string Resolve(string baseUrl, string? control)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (string.IsNullOrEmpty(control) || control == "*")
        {
            return baseUrl;
        }
        if (control.StartsWith("rtsp://", StringComparison.OrdinalIgnoreCase) || control.StartsWith("rtsps://", StringComparison.OrdinalIgnoreCase))
        {
            return control;
        }
        return baseUrl.EndsWith('/') ? baseUrl + control : baseUrl + "/" + control;
    }
}
