namespace HomeVault.Core.Audit;

/// <summary>
/// The actions HomeVault records. Other well-formed names (lowercase dotted words) are accepted so
/// an older verifier can still read a newer log, but the service only writes these, and only through these
/// constants (a test fails on a literal action in src). No path removes an owner or changes a key today, so
/// there is no action for either: add one with the feature that writes it.
/// </summary>
public static class AuditActions
{
    public const string ClipSealed = "clip.sealed";
    public const string ClipDeleted = "clip.deleted";
    public const string ClipDeletedRemote = "clip.deleted_remote";
    public const string ClipTruncated = "clip.truncated";
    public const string RunStarted = "run.started";
    public const string RunEnded = "run.ended";
    public const string Gap = "gap";
    public const string OwnerAdded = "owner.added";
    public const string VaultUnlocked = "vault.unlocked";
    public const string VaultUnlockFailed = "vault.unlock_failed";
    public const string IdentityExported = "key.identity_exported";
    public const string RequestReceived = "request.received";
    public const string RequestViewed = "request.viewed";
    public const string RequestApproved = "request.approved";
    public const string RequestDenied = "request.denied";
    public const string RequestRevoked = "request.revoked";
    public const string ClipViewed = "clip.viewed";
    public const string ReleaseBuilt = "release.built";
    public const string ReleaseDownloaded = "release.downloaded";
    public const string ReleaseExpired = "release.expired";
    public const string ConfigChanged = "config.changed";
    public const string RequesterAdded = "requester.added";
    public const string RequesterRevoked = "requester.revoked";
    public const string ConsoleLocked = "vault.locked";
    public const string ReportGenerated = "report.generated";
    public const string LiveStarted = "live.started";
    public const string LiveStopped = "live.stopped";

    public static IReadOnlyList<string> All { get; } =
    [
        ClipSealed, ClipDeleted, ClipDeletedRemote, ClipTruncated, ClipViewed, RunStarted, RunEnded, Gap, OwnerAdded,
        VaultUnlocked, VaultUnlockFailed, IdentityExported, RequestReceived, RequestViewed, RequestApproved, RequestDenied,
        RequestRevoked, ReleaseBuilt, ReleaseDownloaded, ReleaseExpired, ConfigChanged, ReportGenerated,
        RequesterAdded, RequesterRevoked, ConsoleLocked, LiveStarted, LiveStopped,
    ];

    /// <summary>Lowercase ASCII words joined by dots or underscores, at most 64 characters.</summary>
    public static bool IsWellFormed(string? action)
    {
        if (string.IsNullOrEmpty(action) || action.Length > 64 || action[0] == '.' || action[^1] == '.')
        {
            return false;
        }
        for (var i = 0; i < action.Length; i++)
        {
            var c = action[i];
            var ok = c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' || (c == '.' && action[i - 1] != '.');
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }
}
