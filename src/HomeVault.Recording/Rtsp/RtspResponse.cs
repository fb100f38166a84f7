namespace HomeVault.Recording.Rtsp;

/// <summary>An RTSP response: status, headers (names case-insensitive, repeatable), body.</summary>
internal sealed record RtspResponse(int Status, string Reason, IReadOnlyList<(string Name, string Value)> Headers, string Body)
{
    public string? Header(string name) => Headers.FirstOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public IEnumerable<string> All(string name) =>
        Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value);
}
