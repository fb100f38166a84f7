using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HomeVault.Core.Replica;

/// <summary>
/// Where everything but the clips lives in the bucket (clips: <see cref="ReplicaKeys"/>). Every key is fixed or a hash
/// or a number: no owner name, no camera name. `o/`: each owner's passphrase-sealed identity file (the one thing a
/// restorer opens with a passphrase), named by a hash of their age recipient; `s/keys` and `s/catalog`: the keys
/// directory and a catalog snapshot, sealed to the owners; `s/daily/YYYYMMDD`: with Object Lock, the day's first
/// snapshot, locked (the latest snapshot is replaced every few minutes and so is not); `a/FIRST`: the audit log's entries from index FIRST on with
/// the signed checkpoint that covers them, sealed to the owners.
/// </summary>
public sealed class ReplicaLayout(string prefix)
{
    public string Prefix => prefix;

    public string OwnersPrefix => prefix + "o/";

    public string KeysBundle => prefix + "s/keys";

    public string CatalogSnapshot => prefix + "s/catalog";

    public string DailySnapshotPrefix => prefix + "s/daily/";

    public string AuditPrefix => prefix + "a/";

    public string DailySnapshot(DateTimeOffset at) => DailySnapshotPrefix + at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public string Owner(string ageRecipient) =>
        OwnersPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(ageRecipient)))[..32];

    public string AuditSegment(long first) => AuditPrefix + first.ToString("D20", CultureInfo.InvariantCulture);

    /// <summary>The first index of the segment under <paramref name="key"/>, or null when the key is not one.</summary>
    public long? SegmentFirst(string key) =>
        key.StartsWith(AuditPrefix, StringComparison.Ordinal)
        && long.TryParse(key.AsSpan(AuditPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            ? first : null;
}
