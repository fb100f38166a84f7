using System.Security.Cryptography;

namespace HomeVault.Core.Replica;

/// <summary>
/// MD5 only as S3 speaks it: the Content-MD5 of a body and the ETag the server answers with, which prove the bytes
/// crossed the wire intact (Ceph 16.2 ignores S3's newer SHA-256 checksum headers). It proves nothing against an
/// adversary and is not used so: what a clip is is its SHA-256 in the catalog and the audit log.
/// </summary>
internal static class S3Md5
{
#pragma warning disable CA5351 // the S3 protocol's transport check, see above
    public static byte[] Of(ReadOnlySpan<byte> bytes) => MD5.HashData(bytes);
#pragma warning restore CA5351
}
