namespace HomeVault.Core.Replica;

/// <summary>
/// The optional <c>HomeVault:Replica</c> section: an S3-compatible bucket that receives every sealed clip. The secret
/// key is not here: it is read from <see cref="CredentialsFile"/> (systemd LoadCredential style).
/// </summary>
public sealed class ReplicaOptions
{
    /// <summary>The S3 endpoint, e.g. <c>https://s3.example.net</c> (path-style requests).</summary>
    public string Endpoint { get; set; } = "";

    public string Region { get; set; } = "us-east-1";

    public string Bucket { get; set; } = "";

    /// <summary>Put before every object key, e.g. <c>house/</c>; empty for none.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>One line <c>ACCESS_KEY:SECRET_KEY</c>, e.g. <c>/run/credentials/homevault.service/s3</c>.</summary>
    public string CredentialsFile { get; set; } = "";

    /// <summary>Upload rate limit in bytes per second; 0 = none.</summary>
    public long BandwidthBytesPerSecond { get; set; }

    /// <summary>
    /// Clips that ended longer ago than this are deleted from the bucket (unless on legal hold or still locked), whether
    /// or not they are still kept locally; 0 or absent = kept as long as the bucket keeps them.
    /// </summary>
    public int RemoteRetentionDays { get; set; }

    /// <summary>A <c>replica.lagging</c> webhook when the oldest clip not yet replicated ended longer ago than this; 0 = none.</summary>
    public int AlertLagSeconds { get; set; }

    /// <summary>When set, each clip object is locked (S3 Object Lock, compliance mode) for this many days.</summary>
    public int? ObjectLockDays { get; set; }
}
