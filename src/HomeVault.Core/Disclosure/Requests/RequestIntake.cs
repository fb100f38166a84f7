using HomeVault.Core.Audit;
using HomeVault.Core.Catalog;
using HomeVault.Core.Json;
using HomeVault.Core.Vault;
using Microsoft.Data.Sqlite;

namespace HomeVault.Core.Disclosure.Requests;

/// <summary>
/// Records a validated access request, from the CLI or over HTTP: seals the optional PDF to the owners, stores the
/// request as pending (its scope goes on legal hold) and logs `request.received` with a checkpoint, all or nothing.
/// </summary>
public sealed class RequestIntake(DataDirectory data, CatalogConnection catalog, AccessRequestLimits? limits = null)
{
    /// <param name="actor">Who submitted it, as the audit log names them.</param>
    /// <param name="pdf">The warrant document, streamed straight into its sealed file (never stored in the clear).</param>
    /// <param name="details">Extra audit details (e.g. the requester account).</param>
    /// <param name="alsoInTransaction">More rows to write in the same transaction (e.g. who submitted it).</param>
    /// <param name="checkpointNow">
    /// Sign a checkpoint covering this request at once (the CLI, so the submitter holds one); the HTTP intake passes
    /// false and leaves it to the minute's checkpoint, so a flood of submissions cannot become a flood of checkpoints.
    /// </param>
    /// <exception cref="AccessRequestException">The document is empty, too large or not a PDF.</exception>
    /// <exception cref="CatalogException">There are no active owners to seal the document to.</exception>
    public StoredRequest Submit(AccessRequest request, Stream? pdf, string actor,
        IReadOnlyDictionary<string, string>? details = null, Action<StoredRequest, CatalogWork>? alsoInTransaction = null,
        bool checkpointNow = true)
    {
        ArgumentNullException.ThrowIfNull(request);
        var id = RequestId.New();
        var relativeDir = Path.Combine("requests", id);
        var dir = Path.Combine(data.Root, relativeDir);
        try
        {
            RequestDocument? stored = null;
            if (pdf is not null)
            {
                List<X25519Recipient> recipients;
                using (var read = catalog.Read())
                {
                    recipients = read.Owners.List().Select(o => X25519Recipient.Parse(o.AgeRecipient)).ToList();
                }
                if (recipients.Count == 0)
                {
                    throw new CatalogException("this data directory has no active owners to seal the document to");
                }
                Directory.CreateDirectory(dir);
                var sealedDoc = RequestDocuments.StoreEncrypted(pdf, recipients, Path.Combine(dir, "warrant.pdf.age"), limits);
                // The catalog keeps data-directory-relative paths, like clips.
                stored = sealedDoc with { Path = Path.Combine(relativeDir, "warrant.pdf.age") };
            }
            using var work = catalog.Write();
            var added = work.Requests.Add(request, stored, id);
            alsoInTransaction?.Invoke(added, work);
            work.Append(ReceivedEvent(added, actor, details));
            if (checkpointNow)
            {
                work.Checkpoint();
            }
            work.Commit();
            if (!checkpointNow)
            {
                work.Audit.CheckpointIfDue();
            }
            return added;
        }
        catch
        {
            // Nothing of a refused or failed submission stays behind.
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
            throw;
        }
    }

    private static AuditEvent ReceivedEvent(StoredRequest q, string actor, IReadOnlyDictionary<string, string>? extra)
    {
        var r = q.Request;
        var details = new Dictionary<string, string>
        {
            ["organization"] = r.Requester.Organization,
            ["legal_basis"] = r.LegalBasis.Type.ToWireName(),
            ["digest"] = q.Digest,
            ["cameras"] = string.Join(",", r.Scope.Cameras),
            ["from"] = WireTime.Format(r.Scope.From),
            ["to"] = WireTime.Format(r.Scope.To),
            ["recipient"] = r.Requester.Recipient,
        };
        if (r.LegalBasis.Reference is { } reference)
        {
            details["reference"] = reference;
        }
        if (q.Document is { } d)
        {
            details["document_sha256"] = d.Sha256;
        }
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            details[key] = value;
        }
        return new AuditEvent(actor, AuditActions.RequestReceived, "request/" + q.Id, details);
    }
}
