using System.Globalization;
using System.Text;
using System.Text.Json;
using HomeVault.Core.Json;

namespace HomeVault.Core.Disclosure.Requests;

/// <summary>Typed, path-reporting accessors over a <see cref="JsonDocument"/>; every problem becomes one line.</summary>
internal sealed class JsonFields(List<string> problems)
{
    public void Problem(string path, string message) => problems.Add($"{path}: {message}");

    /// <summary>
    /// The members of an object, or null when it is not one. Unknown, duplicate and missing members are reported, and the
    /// known ones still returned so that every problem in the document is found in one pass.
    /// </summary>
    public Dictionary<string, JsonElement>? Object(JsonElement element, string path, IReadOnlyCollection<string> allowed, IReadOnlyCollection<string> required)
    {
        if (!Is(element, path, JsonValueKind.Object))
        {
            return null;
        }
        var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var prefix = path == "request" ? "" : path + ".";
        foreach (var property in element.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                Problem(prefix + Safe(property.Name), "unknown property");
            }
            else if (!members.TryAdd(property.Name, property.Value))
            {
                Problem(prefix + property.Name, "duplicate property");
            }
        }
        foreach (var name in required)
        {
            if (!members.ContainsKey(name) && allowed.Contains(name))
            {
                Problem(prefix + name, "missing required field");
            }
        }
        return members;
    }

    /// <summary>True when present with the expected kind; reports "missing" for an absent (default) element.</summary>
    public bool Is(JsonElement element, string path, JsonValueKind kind)
    {
        if (element.ValueKind == JsonValueKind.Undefined)
        {
            return false; // absent: already reported as missing by Object()
        }
        if (element.ValueKind != kind)
        {
            Problem(path, $"expected {KindName(kind)}, got {KindName(element.ValueKind)}");
            return false;
        }
        return true;
    }

    /// <summary>
    /// A text field: a non-blank string of at most <paramref name="maxLength"/> characters (Unicode scalar values),
    /// without control characters, bidirectional overrides or unpaired surrogates. Absent optional fields are null.
    /// </summary>
    public string? Text(JsonElement element, string path, int maxLength, bool required)
    {
        if (element.ValueKind == JsonValueKind.Undefined && !required)
        {
            return null;
        }
        if (!Is(element, path, JsonValueKind.String))
        {
            return null;
        }
        string value;
        try
        {
            value = element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            Problem(path, "is not valid Unicode");
            return null;
        }
        if (BadCharacter(value) is { } bad)
        {
            Problem(path, bad);
            return null;
        }
        if (string.IsNullOrWhiteSpace(value))
        {
            Problem(path, "must not be empty");
            return null;
        }
        var length = value.EnumerateRunes().Count();
        if (length > maxLength)
        {
            Problem(path, $"{length} characters is longer than the limit of {maxLength}");
            return null;
        }
        return value;
    }

    public DateTimeOffset? Instant(JsonElement element, string path)
    {
        var text = Text(element, path, 64, required: true);
        if (text is null)
        {
            return null;
        }
        if (!WireTime.TryParseInstant(text, out var utc, out var error))
        {
            Problem(path, error);
            return null;
        }
        return utc;
    }

    public DateOnly? Date(JsonElement element, string path)
    {
        var text = Text(element, path, 32, required: false);
        if (text is null)
        {
            return null;
        }
        if (!WireTime.TryParseDate(text, out var date, out var error))
        {
            Problem(path, error);
            return null;
        }
        return date;
    }

    /// <summary>Why a text value is unacceptable, or null. Control characters would break one-line logs and statements.</summary>
    public static string? BadCharacter(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c))
            {
                return "is not valid Unicode (unpaired surrogate)";
            }
            if (char.IsControl(c) || c is '\u2028' or '\u2029' || c is >= '\u202A' and <= '\u202E' || c is >= '\u2066' and <= '\u2069')
            {
                return $"contains control character U+{(int)c:X4}";
            }
        }
        return null;
    }

    /// <summary>A value quoted for a one-line message: control characters escaped, long values cut.</summary>
    public static string Quote(string value) => "'" + Safe(value) + "'";

    private static string Safe(string value)
    {
        var sb = new StringBuilder();
        foreach (var c in value.Length > 64 ? value[..64] : value)
        {
            if (char.IsControl(c) || char.IsSurrogate(c) || c is >= '\u2028' and <= '\u202E' || c is >= '\u2066' and <= '\u2069')
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                sb.Append(c);
            }
        }
        return value.Length > 64 ? sb.Append("...").ToString() : sb.ToString();
    }

    private static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}
