using System.Formats.Tar;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Disclosure.Decisions;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core.IO;
using HomeVault.Core.Json;
using HomeVault.Core.Signing;
using HomeVault.Core.Vault;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Disclosure.Releases;

/// <summary>
/// One release being built: everything is written into a hidden sibling of the final directory and becomes the
/// release only in <see cref="Commit"/>, inside the catalog transaction that records it, so a failure anywhere leaves
/// neither a half package nor a state change. <see cref="Discard"/> removes whatever was written.
/// </summary>
internal sealed class ReleasePackage
{
    private readonly string _work;
    private readonly string _final;
    private readonly string _tar;
    private readonly ReleaseManifest _manifest;
    private readonly byte[] _manifestBytes;
    private bool _renamed;
    private bool _tarWritten;

    private ReleasePackage(string work, string final, ReleaseManifest manifest, byte[] manifestBytes)
    {
        _work = work;
        _final = final;
        _tar = final + ".tar";
        _manifest = manifest;
        _manifestBytes = manifestBytes;
    }

    public ReleaseManifest Manifest => _manifest;

    public string ManifestSha256 => ReleaseManifest.Sha256Hex(_manifestBytes);

    /// <summary>Inputs of a build: the request, the statement and every valid owner signature over it.</summary>
    public sealed record Inputs(
        StoredRequest Request,
        ApprovalStatement Statement,
        byte[] StatementBytes,
        IReadOnlyList<(string Owner, string Signature)> Signatures,
        int Quorum,
        IReadOnlyList<Owner> Owners,
        string AuditLogKey,
        IReadOnlyList<(string Path, Clip Clip)> Clips,
        DateTimeOffset Now);

    /// <summary>Builds the package next to <paramref name="finalDirectory"/> (which must not exist yet).</summary>
    public static ReleasePackage Build(Inputs inputs, string finalDirectory, IReleasedClipWriter releaser, MinisignKey signer, string signerName, CancellationToken ct)
    {
        var parent = Path.GetDirectoryName(finalDirectory)!;
        if (Directory.Exists(finalDirectory) || File.Exists(finalDirectory + ".tar"))
        {
            throw new ReleaseException($"release directory {finalDirectory} (or its .tar) already exists");
        }
        Directory.CreateDirectory(parent);
        var work = Path.Combine(parent, $".{Path.GetFileName(finalDirectory)}.building-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}");
        Durable.CreatePrivateDirectory(work);
        try
        {
            var s = inputs.Statement;
            var clips = Released(inputs, releaser, work, ct);
            Write(work, ReleaseFiles.Approval, inputs.StatementBytes);
            foreach (var (owner, approvalSignature) in inputs.Signatures)
            {
                Write(work, ReleaseFiles.ApprovalSignature(owner), Encoding.UTF8.GetBytes(approvalSignature));
            }
            foreach (var o in inputs.Owners)
            {
                Write(work, ReleaseFiles.OwnerKey(o.Name), Encoding.UTF8.GetBytes(MinisignPublicKey.Parse(o.MinisignPublicKey).ToFileText()));
            }
            Write(work, ReleaseFiles.AuditLogKey, Encoding.UTF8.GetBytes(inputs.AuditLogKey + "\n"));
            var readme = ReleaseFiles.ReadmeText(inputs.Request.Id, inputs.Signatures.Select(x => x.Owner));
            Write(work, ReleaseFiles.Readme, readme);
            Write(work, ReleaseFiles.Sums, ReleaseFiles.SumsText(clips));
            var manifest = new ReleaseManifest(inputs.Request.Id, inputs.Request.Digest, inputs.Request.CanonicalJson, s.Sha256(),
                inputs.Signatures.Select(x => x.Owner).ToList(), inputs.Quorum, s.Recipient, s.Cameras, s.From, s.To, s.StripAudio,
                s.ReleaseExpires, inputs.Now, signerName,
                inputs.Owners.Select(o => new ManifestOwner(o.Name, MinisignPublicKey.Parse(o.MinisignPublicKey).ToBase64())).ToList(),
                inputs.AuditLogKey, ReleaseManifest.Sha256Hex(readme), clips);
            var bytes = manifest.ToBytes();
            Write(work, ReleaseFiles.Manifest, bytes);
            var signature = signer.Sign(bytes, trustedComment: $"homevault release {inputs.Request.Id} manifest");
            Write(work, ReleaseFiles.ManifestSignature, Encoding.UTF8.GetBytes(signature.ToFileText()));
            return new ReleasePackage(work, finalDirectory, manifest, bytes);
        }
        catch
        {
            Directory.Delete(work, recursive: true);
            throw;
        }
    }

    /// <summary>Releases each clip in time order per camera; clips of one release are independent, so two run at once.</summary>
    private static List<ManifestClip> Released(Inputs inputs, IReleasedClipWriter releaser, string work, CancellationToken ct)
    {
        var s = inputs.Statement;
        var results = new ManifestClip?[inputs.Clips.Count];
        try
        {
            Parallel.For(0, inputs.Clips.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount), CancellationToken = ct }, i =>
            {
                var (path, clip) = inputs.Clips[i];
                results[i] = releaser.Release(path, clip, s.From, s.To, s.StripAudio, work, ct);
            });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count > 0)
        {
            // One line for the owner: the first clip's problem, not a bundle of identical ones.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
        return results.OfType<ManifestClip>().ToList();
    }

    private static void Write(string root, string relative, byte[] content)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Durable.CreateNew(path, content);
    }

    /// <summary>
    /// Inside <paramref name="work"/>'s transaction: appends the release.built leaf (binding the manifest's SHA-256), writes the leaf
    /// and its tlog-proof into the package, writes the .tar, moves the package into place, records the release row
    /// and marks the request released. The caller commits; on any failure it calls <see cref="Discard"/>.
    /// </summary>
    public ReleaseInfo Commit(CatalogWork work, string actor, DateTimeOffset now)
    {
        var token = NewToken();
        var bytes = _manifest.Clips.Sum(c => c.Bytes);
        ArgumentNullException.ThrowIfNull(work);
        var index = work.Append(new AuditEvent(actor, AuditActions.ReleaseBuilt, "request/" + _manifest.RequestId, new Dictionary<string, string>
        {
            ["manifest_sha256"] = ManifestSha256,
            ["statement_sha256"] = _manifest.StatementSha256,
            ["recipient"] = _manifest.Recipient,
            ["signers"] = string.Join(",", _manifest.Signers),
            ["cameras"] = string.Join(",", _manifest.Cameras),
            ["from"] = WireTime.Format(_manifest.From),
            ["to"] = WireTime.Format(_manifest.To),
            ["strip_audio"] = _manifest.StripAudio ? "yes" : "no",
            ["expires"] = WireTime.Format(_manifest.Expires),
            ["clips"] = _manifest.Clips.Count.ToString(CultureInfo.InvariantCulture),
            ["bytes"] = bytes.ToString(CultureInfo.InvariantCulture),
        }));
        var (entry, proof) = work.ProveWithin(index);
        Write(_work, ReleaseFiles.AuditEntry, entry);
        Write(_work, ReleaseFiles.AuditProof, Encoding.UTF8.GetBytes(proof.ToText()));
        work.Requests.MarkReleased(_manifest.RequestId);
        work.Releases.Add(new ReleaseRecord(_manifest.RequestId, _final, _tar, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))),
            ManifestSha256, now, _manifest.Expires, ReleaseState.Active, null, _manifest.Clips.Count, bytes, 0, index));
        WriteTar();
        Directory.Move(_work, _final);
        _renamed = true;
        Durable.SyncDirectory(Path.GetDirectoryName(_final)!);
        return new ReleaseInfo(_manifest.RequestId, _final, _tar, token, _manifest.Expires, _manifest.Clips.Count, bytes, ManifestSha256, index);
    }

    /// <summary>A fresh random capability token, 256 bits, URL-safe (shown once; only its SHA-256 is kept).</summary>
    private static string NewToken() => "hvr_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>One .tar of the package, its entries under the release's directory name, written beside it.</summary>
    private void WriteTar()
    {
        var name = Path.GetFileName(_final);
        var partial = _tar + ".partial";
        using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            using (var writer = new TarWriter(file, TarEntryFormat.Pax, leaveOpen: true))
            {
                foreach (var path in Directory.EnumerateFiles(_work, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    writer.WriteEntry(path, name + "/" + Path.GetRelativePath(_work, path));
                }
            }
            file.Flush(flushToDisk: true);
        }
        File.Move(partial, _tar);
        _tarWritten = true;
    }

    public void Discard()
    {
        if (Directory.Exists(_work))
        {
            Directory.Delete(_work, recursive: true);
        }
        if (_renamed && Directory.Exists(_final))
        {
            Directory.Delete(_final, recursive: true);
        }
        if (_tarWritten)
        {
            File.Delete(_tar);
        }
        File.Delete(_tar + ".partial");
    }
}
