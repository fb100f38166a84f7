using System.Globalization;

namespace HomeVault.Core.Audit;

/// <summary>
/// What happened, before the log stamps it with a time and an index. Validated on construction:
/// well-formed action, non-empty actor, string-only details with non-empty keys, all text
/// encodable as UTF-8. Details are kept sorted (ordinal) because that is their canonical order.
/// </summary>
public sealed class AuditEvent
{
    public const int MaxActorLength = 256;
    public const int MaxSubjectLength = 1024;
    public const int MaxDetailsChars = 64 * 1024;

    public AuditEvent(string actor, string action, string subject, IEnumerable<KeyValuePair<string, string>>? details = null)
    {
        if (!AuditActions.IsWellFormed(action))
        {
            throw new ArgumentException($"audit action '{action}' is not lowercase dotted words", nameof(action));
        }
        if (string.IsNullOrWhiteSpace(actor) || actor.Length > MaxActorLength || !CanonicalJson.IsEncodable(actor))
        {
            throw new ArgumentException($"audit actor must be 1..{MaxActorLength} characters of valid text", nameof(actor));
        }
        ArgumentNullException.ThrowIfNull(subject);
        if (subject.Length > MaxSubjectLength || !CanonicalJson.IsEncodable(subject))
        {
            throw new ArgumentException($"audit subject must be at most {MaxSubjectLength} characters of valid text", nameof(subject));
        }
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var total = 0;
        foreach (var (key, value) in details ?? [])
        {
            if (string.IsNullOrEmpty(key) || value is null || !CanonicalJson.IsEncodable(key) || !CanonicalJson.IsEncodable(value))
            {
                throw new ArgumentException("audit details need non-empty keys and non-null values of valid text", nameof(details));
            }
            if (!sorted.TryAdd(key, value))
            {
                throw new ArgumentException($"audit details key '{key}' appears twice", nameof(details));
            }
            total += key.Length + value.Length;
        }
        if (total > MaxDetailsChars)
        {
            throw new ArgumentException($"audit details exceed {MaxDetailsChars} characters", nameof(details));
        }
        Actor = actor;
        Action = action;
        Subject = subject;
        Details = sorted;
    }

    public string Actor { get; }

    public string Action { get; }

    /// <summary>What the action is about: a clip path, a request id, an owner name; may be empty.</summary>
    public string Subject { get; }

    public IReadOnlyDictionary<string, string> Details { get; }

    /// <summary>An owner's identity was unlocked to <paramref name="purpose"/> (decrypt, sign, export) <paramref name="file"/> (its name only).</summary>
    public static AuditEvent VaultUnlocked(string owner, string purpose, string file) =>
        new(owner, AuditActions.VaultUnlocked, "owner/" + owner, new Dictionary<string, string>
        {
            ["purpose"] = purpose,
            ["file"] = Path.GetFileName(file),
        });

    /// <summary>A clip file was sealed and catalogued. Subject is the clip path; the verifier ties the clips row to these details.</summary>
    public static AuditEvent ClipSealed(string actor, string camera, long startMs, long endMs, string sha256Hex, string path) =>
        Clip(AuditActions.ClipSealed, actor, camera, startMs, endMs, sha256Hex, path);

    /// <summary>A partial clip was recovered up to its last authenticated chunk; same details as <see cref="ClipSealed"/>.</summary>
    public static AuditEvent ClipTruncated(string actor, string camera, long startMs, long endMs, string sha256Hex, string path) =>
        Clip(AuditActions.ClipTruncated, actor, camera, startMs, endMs, sha256Hex, path);

    /// <summary>A clip file was deleted (retention, owner). Subject is the clip path.</summary>
    public static AuditEvent ClipDeleted(string actor, string path, string sha256Hex, string reason) =>
        Deletion(AuditActions.ClipDeleted, actor, path, sha256Hex, reason);

    /// <summary>A clip's off-site copy was deleted from the bucket (remote retention); same shape as <see cref="ClipDeleted"/>.</summary>
    public static AuditEvent ClipDeletedRemote(string actor, string path, string sha256Hex, string reason) =>
        Deletion(AuditActions.ClipDeletedRemote, actor, path, sha256Hex, reason);

    private static AuditEvent Deletion(string action, string actor, string path, string sha256Hex, string reason)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        return new AuditEvent(actor, action, path, new Dictionary<string, string>
        {
            ["reason"] = reason,
            ["sha256"] = CheckSha256(sha256Hex),
        });
    }

    private static AuditEvent Clip(string action, string actor, string camera, long startMs, long endMs, string sha256Hex, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(camera);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (endMs < startMs)
        {
            throw new ArgumentException("clip ends before it starts", nameof(endMs));
        }
        return new AuditEvent(actor, action, path, new Dictionary<string, string>
        {
            ["camera"] = camera,
            ["end"] = endMs.ToString(CultureInfo.InvariantCulture),
            ["path"] = path,
            ["sha256"] = CheckSha256(sha256Hex),
            ["start"] = startMs.ToString(CultureInfo.InvariantCulture),
        });
    }

    private static string CheckSha256(string hex)
    {
        if (hex is null || hex.Length != 64 || !hex.All(c => c is (>= '0' and <= '9') or (>= 'a' and <= 'f')))
        {
            throw new ArgumentException("sha256 must be 64 lowercase hex digits", nameof(hex));
        }
        return hex;
    }
}
