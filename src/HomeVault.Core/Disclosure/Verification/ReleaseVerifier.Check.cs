using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using HomeVault.Core.Audit;
using HomeVault.Core.Disclosure.Decisions;
using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.Json;
using HomeVault.Core.Signing;
using HomeVault.Core.Vault;

namespace HomeVault.Core.Disclosure.Verification;

public static partial class ReleaseVerifier
{
    /// <summary>One verification run; every failed check throws a <see cref="ReleaseException"/> naming the file.</summary>
    private sealed class Check(string dir, IReadOnlyList<MinisignPublicKey> pinned, IReadOnlyList<IIdentity> identities)
    {
        private readonly string _root = Path.GetFullPath(dir).TrimEnd('/');

        public ReleaseVerification Run()
        {
            var manifestBytes = Read(ReleaseFiles.Manifest);
            var signingKey = ManifestSignature(manifestBytes);
            var m = ReleaseManifest.Parse(manifestBytes);
            ExactFiles(m);
            var keys = OwnerKeys(m, signingKey);
            var signers = Approvals(m, keys);
            RequestMatches(m);
            Hash(ReleaseFiles.Readme, m.ReadmeSha256, "SHA-256 does not match the signed manifest");
            if (!Read(ReleaseFiles.Sums).AsSpan().SequenceEqual(ReleaseFiles.SumsText(m.Clips)))
            {
                throw new ReleaseException($"{ReleaseFiles.Sums}: does not list exactly the manifest's clips and hashes");
            }
            var (size, origin) = AuditProof(m, manifestBytes);
            ClipsInScope(m);
            foreach (var c in m.Clips)
            {
                Hash(c.Path, c.Sha256, "ciphertext SHA-256 does not match the manifest", c.Bytes);
            }
            var decrypted = 0;
            if (identities.Count > 0)
            {
                foreach (var c in m.Clips)
                {
                    Plaintext(c);
                    decrypted++;
                }
            }
            return new ReleaseVerification(null, m, m.Clips.Count, decrypted, signers, size, origin);
        }

        private string Full(string relative) => Path.Combine(_root, relative);

        private byte[] Read(string relative) =>
            File.Exists(Full(relative)) ? File.ReadAllBytes(Full(relative)) : throw new ReleaseException($"{relative}: missing");

        /// <summary>The manifest must carry a valid signature by one of the pinned keys; returns that key.</summary>
        private MinisignPublicKey ManifestSignature(byte[] manifest)
        {
            var text = Encoding.UTF8.GetString(Read(ReleaseFiles.ManifestSignature));
            if (!MinisignSignature.TryParse(text, out var signature, out var error))
            {
                throw new ReleaseException($"{ReleaseFiles.ManifestSignature}: {error}");
            }
            var key = pinned.FirstOrDefault(k => k.KeyId.Equals(signature.KeyId))
                ?? throw new ReleaseException($"{ReleaseFiles.ManifestSignature}: signed by key {signature.KeyId}, which is not a pinned owner key");
            var result = key.Verify(manifest, signature);
            return result.IsValid ? key : throw new ReleaseException($"{ReleaseFiles.Manifest}: signature does not verify with the pinned owner key ({result.Message})");
        }

        private void ExactFiles(ReleaseManifest m)
        {
            var expected = new HashSet<string>(StringComparer.Ordinal)
            {
                ReleaseFiles.Manifest, ReleaseFiles.ManifestSignature, ReleaseFiles.Approval, ReleaseFiles.Sums, ReleaseFiles.Readme,
                ReleaseFiles.AuditEntry, ReleaseFiles.AuditProof, ReleaseFiles.AuditLogKey,
            };
            foreach (var s in m.Signers)
            {
                SafeName(s, "approval.signers");
                expected.Add(ReleaseFiles.ApprovalSignature(s));
            }
            foreach (var o in m.Owners)
            {
                SafeName(o.Name, "owners");
                expected.Add(ReleaseFiles.OwnerKey(o.Name));
            }
            foreach (var c in m.Clips)
            {
                if (!c.Path.StartsWith(ReleaseFiles.ClipsDir + "/" + c.Camera + "/", StringComparison.Ordinal) || c.Path.Contains("..", StringComparison.Ordinal) || !expected.Add(c.Path))
                {
                    throw new ReleaseException($"{ReleaseFiles.Manifest}: clip path '{c.Path}' is not a unique file under clips/{c.Camera}/");
                }
            }
            // A directory is part of the package only as the parent of one of its files: an empty one is extra too.
            var directories = expected.SelectMany(Parents).ToHashSet(StringComparer.Ordinal);
            foreach (var entry in new DirectoryInfo(_root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(_root, entry.FullName);
                if (entry.LinkTarget is not null)
                {
                    throw new ReleaseException($"{relative}: is a symbolic link; a release holds only regular files");
                }
                if (entry is FileInfo && !expected.Remove(relative))
                {
                    throw new ReleaseException($"{relative}: unexpected file (not part of the signed manifest)");
                }
                if (entry is DirectoryInfo && !directories.Contains(relative))
                {
                    throw new ReleaseException($"{relative}/: unexpected directory (not part of the signed manifest)");
                }
            }
            if (expected.Count > 0)
            {
                throw new ReleaseException($"{expected.Order(StringComparer.Ordinal).First()}: missing");
            }
        }

        private static IEnumerable<string> Parents(string relative)
        {
            for (var dir = Path.GetDirectoryName(relative); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
            {
                yield return dir;
            }
        }

        private static void SafeName(string name, string field)
        {
            if (!Catalog.Names.IsValid(name))
            {
                throw new ReleaseException($"{ReleaseFiles.Manifest}: {field} has an invalid owner name");
            }
        }

        /// <summary>owners/NAME.pub must be the keys the signed manifest names; the manifest's signer must be the pinned key.</summary>
        private Dictionary<string, MinisignPublicKey> OwnerKeys(ReleaseManifest m, MinisignPublicKey signingKey)
        {
            var keys = new Dictionary<string, MinisignPublicKey>(StringComparer.Ordinal);
            foreach (var o in m.Owners)
            {
                var file = ReleaseFiles.OwnerKey(o.Name);
                if (!MinisignPublicKey.TryParse(Encoding.UTF8.GetString(Read(file)), out var key, out var error))
                {
                    throw new ReleaseException($"{file}: {error}");
                }
                if (key.ToBase64() != o.MinisignPublicKey)
                {
                    throw new ReleaseException($"{file}: does not match the key the signed manifest names for {o.Name}");
                }
                if (!keys.TryAdd(o.Name, key))
                {
                    throw new ReleaseException($"{ReleaseFiles.Manifest}: owner {o.Name} is listed twice");
                }
            }
            if (!keys.TryGetValue(m.SignedBy, out var signer) || signer.ToBase64() != signingKey.ToBase64())
            {
                throw new ReleaseException($"{ReleaseFiles.Manifest}: signedBy '{m.SignedBy}' is not the owner whose pinned key signed it");
            }
            return keys;
        }

        /// <summary>approval.txt is the statement the manifest names, it matches the manifest, and k distinct owners signed it.</summary>
        private List<string> Approvals(ReleaseManifest m, Dictionary<string, MinisignPublicKey> keys)
        {
            var bytes = Read(ReleaseFiles.Approval);
            if (ReleaseManifest.Sha256Hex(bytes) != m.StatementSha256)
            {
                throw new ReleaseException($"{ReleaseFiles.Approval}: SHA-256 does not match the signed manifest");
            }
            ApprovalStatement statement;
            try
            {
                statement = ApprovalStatement.Parse(bytes);
            }
            catch (AccessRequestException ex)
            {
                throw new ReleaseException($"{ReleaseFiles.Approval}: {ex.Message}", ex);
            }
            var mismatch =
                statement.RequestId != m.RequestId ? "request-id" :
                statement.RequestDigest != m.RequestDigest ? "request-digest" :
                !statement.Cameras.SequenceEqual(m.Cameras) ? "cameras" :
                statement.From != m.From ? "from" :
                statement.To != m.To ? "to" :
                statement.StripAudio != m.StripAudio ? "strip-audio" :
                statement.Recipient != m.Recipient ? "recipient" :
                statement.ReleaseExpires != m.Expires ? "release-expires" : null;
            if (mismatch is not null)
            {
                throw new ReleaseException($"{ReleaseFiles.Approval}: {mismatch} differs from the manifest");
            }
            var distinct = new HashSet<string>(StringComparer.Ordinal);
            foreach (var s in m.Signers)
            {
                var file = ReleaseFiles.ApprovalSignature(s);
                if (!keys.TryGetValue(s, out var key))
                {
                    throw new ReleaseException($"{file}: signer {s} is not among the package's owners");
                }
                var result = key.Verify(bytes, Encoding.UTF8.GetString(Read(file)));
                if (!result.IsValid)
                {
                    throw new ReleaseException($"{file}: does not verify with {s}'s key ({result.Message})");
                }
                distinct.Add(key.ToBase64());
            }
            if (distinct.Count < m.Quorum)
            {
                throw new ReleaseException($"{ReleaseFiles.Approval}: signed by {distinct.Count} distinct owner key(s); the manifest states a quorum of {m.Quorum}");
            }
            if (!m.Signers.Any(s => pinned.Any(p => p.ToBase64() == keys[s].ToBase64())))
            {
                throw new ReleaseException($"{ReleaseFiles.Approval}: no signer's key is among the pinned owner keys");
            }
            return [.. m.Signers];
        }

        /// <summary>The embedded request is the one the digest names, for this recipient, and the approval lies inside it.</summary>
        private static void RequestMatches(ReleaseManifest m)
        {
            if (ReleaseManifest.Sha256Hex(Encoding.UTF8.GetBytes(m.RequestJson)) != m.RequestDigest)
            {
                throw new ReleaseException($"{ReleaseFiles.Manifest}: request.canonicalJson does not hash to request.digest");
            }
            try
            {
                using var doc = JsonDocument.Parse(m.RequestJson);
                var root = doc.RootElement;
                var scope = root.GetProperty("scope");
                var recipient = root.GetProperty("requester").GetProperty("recipient").GetString();
                var cameras = scope.GetProperty("cameras").EnumerateArray().Select(c => c.GetString()).ToHashSet(StringComparer.Ordinal);
                if (recipient != m.Recipient)
                {
                    throw new ReleaseException($"{ReleaseFiles.Manifest}: recipient is not the request's recipient");
                }
                if (!WireTime.TryParseInstant(scope.GetProperty("from").GetString() ?? "", out var from, out _) ||
                    !WireTime.TryParseInstant(scope.GetProperty("to").GetString() ?? "", out var to, out _) ||
                    m.From < from || m.To > to || m.To <= m.From || !m.Cameras.All(cameras.Contains))
                {
                    throw new ReleaseException($"{ReleaseFiles.Manifest}: the approved scope is not inside the requested scope");
                }
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new ReleaseException($"{ReleaseFiles.Manifest}: request.canonicalJson is not a request", ex);
            }
        }

        private (long Size, string Origin) AuditProof(ReleaseManifest m, byte[] manifestBytes)
        {
            var keyText = Encoding.UTF8.GetString(Read(ReleaseFiles.AuditLogKey)).Trim();
            if (keyText != m.AuditLogKey || NoteVerifier.TryParse(keyText) is not { } logKey)
            {
                throw new ReleaseException($"{ReleaseFiles.AuditLogKey}: is not the audit log key the signed manifest names");
            }
            var entryBytes = Read(ReleaseFiles.AuditEntry);
            var entry = AuditEntry.TryDecode(0, entryBytes, out var error)
                ?? throw new ReleaseException($"{ReleaseFiles.AuditEntry}: not a canonical audit entry ({error})");
            if (entry.Event.Action != AuditActions.ReleaseBuilt || entry.Event.Subject != "request/" + m.RequestId)
            {
                throw new ReleaseException($"{ReleaseFiles.AuditEntry}: is not the release.built entry of request {m.RequestId}");
            }
            if (!entry.Event.Details.TryGetValue("manifest_sha256", out var bound) || bound != ReleaseManifest.Sha256Hex(manifestBytes))
            {
                throw new ReleaseException($"{ReleaseFiles.AuditEntry}: manifest_sha256 is not this manifest's SHA-256");
            }
            // The leaf restates the release in words; each must agree with the manifest, so an edit is named here, not only by the proof.
            var stated = new Dictionary<string, string>
            {
                ["statement_sha256"] = m.StatementSha256, ["recipient"] = m.Recipient, ["signers"] = string.Join(",", m.Signers),
                ["cameras"] = string.Join(",", m.Cameras), ["from"] = WireTime.Format(m.From), ["to"] = WireTime.Format(m.To),
                ["strip_audio"] = m.StripAudio ? "yes" : "no", ["expires"] = WireTime.Format(m.Expires),
                ["clips"] = m.Clips.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["bytes"] = m.Clips.Sum(c => c.Bytes).ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            foreach (var (name, value) in stated)
            {
                if (!entry.Event.Details.TryGetValue(name, out var logged) || logged != value)
                {
                    throw new ReleaseException($"{ReleaseFiles.AuditEntry}: {name} differs from the manifest");
                }
            }
            var proof = TlogProof.TryParse(Encoding.UTF8.GetString(Read(ReleaseFiles.AuditProof)), out error)
                ?? throw new ReleaseException($"{ReleaseFiles.AuditProof}: {error}");
            if (!proof.VerifyEntry(entryBytes, logKey, null, out error))
            {
                throw new ReleaseException($"{ReleaseFiles.AuditProof}: {error} (the proof or {ReleaseFiles.AuditEntry} was altered)");
            }
            var checkpoint = SignedCheckpoint.TryOpen(proof.CheckpointNote, logKey, null, out _)!;
            return (checkpoint.Size, checkpoint.Checkpoint.Origin);
        }

        private static void ClipsInScope(ReleaseManifest m)
        {
            foreach (var c in m.Clips)
            {
                if (!m.Cameras.Contains(c.Camera, StringComparer.Ordinal))
                {
                    throw new ReleaseException($"{c.Path}: camera {c.Camera} is not in the signed scope");
                }
                if (c.Start < m.From || c.End > m.To || c.End <= c.Start)
                {
                    throw new ReleaseException($"{c.Path}: {WireTime.Format(c.Start)}..{WireTime.Format(c.End)} is not inside the signed scope {WireTime.Format(m.From)}..{WireTime.Format(m.To)}");
                }
            }
        }

        private void Hash(string relative, string expected, string problem, long? bytes = null)
        {
            using var file = File.OpenRead(Full(relative));
            if (bytes is { } n && file.Length != n)
            {
                throw new ReleaseException($"{relative}: {file.Length} bytes, the manifest says {n}");
            }
            if (Convert.ToHexStringLower(SHA256.HashData(file)) != expected)
            {
                throw new ReleaseException($"{relative}: {problem}");
            }
        }

        private void Plaintext(ManifestClip c)
        {
            using var file = File.OpenRead(Full(c.Path));
            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            try
            {
                using var plain = Age.DecryptingStream(file, identities);
                var buffer = new byte[1 << 16];
                int n;
                while ((n = plain.Read(buffer)) > 0)
                {
                    sha.AppendData(buffer.AsSpan(0, n));
                }
                CryptographicOperations.ZeroMemory(buffer);
            }
            catch (AgeException ex)
            {
                throw new ReleaseException($"{c.Path}: cannot decrypt ({ex.Message})", ex);
            }
            if (Convert.ToHexStringLower(sha.GetHashAndReset()) != c.PlaintextSha256)
            {
                throw new ReleaseException($"{c.Path}: plaintext SHA-256 does not match the manifest");
            }
        }
    }
}
