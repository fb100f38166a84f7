using System.Text.Json;
using HomeVault.Core.Catalog;

namespace HomeVault.Web.Intake;

/// <summary>
/// Requesters must not learn which cameras exist. The validator refuses unknown cameras, so over HTTP every
/// well-formed camera name a request asks for counts as known: a request for a camera the house does not have is
/// accepted exactly like one for a camera without footage, and simply finds nothing. The owners see such names
/// flagged in the console.
/// </summary>
internal static class CameraNamesBlind
{
    public static IEnumerable<string> KnownFor(ReadOnlySpan<byte> json, IEnumerable<string> catalogCameras)
    {
        var names = new HashSet<string>(catalogCameras, StringComparer.Ordinal);
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            // The validator refuses it as "not valid UTF-8"; reading names out of it would throw.
            return names;
        }
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8, CommentHandling = JsonCommentHandling.Disallow });
            if (!JsonDocument.TryParseValue(ref reader, out var doc))
            {
                return names;
            }
            using (doc)
            {
                if (doc.RootElement.ValueKind == JsonValueKind.Object
                    && doc.RootElement.TryGetProperty("scope", out var scope) && scope.ValueKind == JsonValueKind.Object
                    && scope.TryGetProperty("cameras", out var cameras) && cameras.ValueKind == JsonValueKind.Array)
                {
                    foreach (var c in cameras.EnumerateArray())
                    {
                        if (c.ValueKind == JsonValueKind.String && c.GetString() is { } name && Names.IsValid(name))
                        {
                            names.Add(name);
                        }
                    }
                }
            }
        }
        catch (JsonException)
        {
            // The validator reports malformed JSON itself.
        }
        catch (InvalidOperationException)
        {
            // A name that is no Unicode string (an escaped unpaired surrogate): the validator names that field.
        }
        return names;
    }
}
