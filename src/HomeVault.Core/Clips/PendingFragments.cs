using System.Globalization;
using System.Text;

namespace HomeVault.Core.Clips;

/// <summary>
/// The catalog's text form of the fragments of an open clip not yet known durable (clips.pending_fragments,
/// see migration 0006): "PLAINTEXT_END:END_MS" pairs in file order, joined by ';'. Text rather than a table
/// of rows, so a progress commit stays one small row update.
/// </summary>
internal static class PendingFragments
{
    /// <summary>The text form of <paramref name="fragments"/> (null when there are none), built in <paramref name="scratch"/>.</summary>
    public static string? Format(IReadOnlyList<FragmentEnd> fragments, StringBuilder scratch)
    {
        if (fragments.Count == 0)
        {
            return null;
        }
        scratch.Clear();
        foreach (var f in fragments)
        {
            if (scratch.Length > 0)
            {
                scratch.Append(';');
            }
            scratch.Append(CultureInfo.InvariantCulture, $"{f.PlaintextEnd}:{f.EndMs}");
        }
        return scratch.ToString();
    }

    /// <summary>The media end of the last fragment that lies wholly within the first <paramref name="plaintext"/> bytes, or null if none does.</summary>
    public static long? LastEndWithin(string? text, long plaintext)
    {
        long? end = null;
        foreach (var pair in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            var offset = long.Parse(pair.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture);
            if (offset > plaintext)
            {
                break;
            }
            end = long.Parse(pair.AsSpan(colon + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }
        return end;
    }
}
