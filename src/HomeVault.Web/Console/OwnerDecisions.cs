using System.Text;
using HomeVault.Core.Catalog;
using HomeVault.Core.Keys;
using HomeVault.Core.Releases;
using HomeVault.Core.Warrants;
using HomeVault.Recording.Releases;
using HomeVault.Web.Hosting;

namespace HomeVault.Web.Console;

/// <summary>
/// The console's decisions, through the disclosure service like the CLI's: approve (which builds the release when it
/// completes the quorum), deny and revoke, each proven with the owner's passphrase. Each runs on a connection of its
/// own, so building a release does not hold up the intake.
/// </summary>
internal static class OwnerDecisions
{
    /// <summary>The outcome, or the one-line reason it was refused.</summary>
    public static (ApproveOutcome? Outcome, string? Refusal) Approve(WebCatalog catalog, ApproveCommand command, string passphrase, CancellationToken ct) =>
        Run(catalog, passphrase, (d, pass) => d.Approve(command, pass, ct));

    public static string? Deny(WebCatalog catalog, string requestId, string owner, string passphrase, string reason) =>
        Run(catalog, passphrase, (d, pass) => d.Deny(requestId, owner, pass, reason)).Refusal;

    public static string? Revoke(WebCatalog catalog, string requestId, string owner, string passphrase, string reason) =>
        Run(catalog, passphrase, (d, pass) => d.Revoke(requestId, owner, pass, reason)).Refusal;

    public static IReadOnlyList<ReleaseSummary> ListReleases(WebCatalog catalog) =>
        Run(catalog, "", (d, _) => d.ListReleases()).Result ?? [];

    /// <summary>The recipient's download (audited by the service), or null for an unknown, revoked or expired link.</summary>
    public static ReleaseDownload? OpenDownload(WebCatalog catalog, string capability, string who) =>
        Run(catalog, "", (d, _) => d.OpenDownload(capability, who)).Result;

    private static (T? Result, string? Refusal) Run<T>(WebCatalog catalog, string passphrase, Func<Disclosure, byte[], T> act)
    {
        var bytes = Encoding.UTF8.GetBytes(passphrase);
        try
        {
            using var db = CatalogDatabase.Open(catalog.Data.CatalogPath);
            using var disclosure = new Disclosure(catalog.Data, db, catalog.Time);
            return (act(disclosure, bytes), null);
        }
        catch (AccessRequestException ex)
        {
            return (default, string.Join("; ", ex.Problems));
        }
        catch (CatalogException ex)
        {
            return (default, ex.Message);
        }
        catch (KeyStoreException ex)
        {
            return (default, ex.Message);
        }
        catch (ReleaseException ex)
        {
            return (default, ex.Message);
        }
        finally
        {
            Array.Clear(bytes);
        }
    }
}
