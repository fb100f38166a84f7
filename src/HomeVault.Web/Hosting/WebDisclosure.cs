using System.Text;
using HomeVault.Core;
using HomeVault.Core.Catalog;
using HomeVault.Core.Disclosure;
using HomeVault.Core.Disclosure.Decisions;
using HomeVault.Core.Disclosure.Releases;

namespace HomeVault.Web.Hosting;

/// <summary>
/// The web side's way into Core's disclosure service, like the CLI's: the console's decisions (approve, which builds
/// the release when it completes the quorum; deny; revoke; the release list), each proven with the owner's passphrase,
/// and the intake's audited download. Each runs on a connection of its own, so building a release does not hold up
/// the intake. The media side (writing released clips) is the <see cref="IReleaseMedia"/> the host wired.
/// </summary>
internal static class WebDisclosure
{
    /// <summary>The outcome, or the one-line reason it was refused.</summary>
    public static (ApproveOutcome? Outcome, string? Refusal) Approve(WebCatalog catalog, IReleaseMedia media, ApproveCommand command, string passphrase, CancellationToken ct) =>
        Run(catalog, media, passphrase, (d, pass) => d.Approve(command, pass, ct));

    public static string? Deny(WebCatalog catalog, string requestId, string owner, string passphrase, string reason) =>
        Run(catalog, null, passphrase, (d, pass) => d.Deny(requestId, owner, pass, reason)).Refusal;

    public static string? Revoke(WebCatalog catalog, string requestId, string owner, string passphrase, string reason) =>
        Run(catalog, null, passphrase, (d, pass) => d.Revoke(requestId, owner, pass, reason)).Refusal;

    /// <summary>The release list; a failure reaches the console's handler rather than showing as no releases.</summary>
    public static IReadOnlyList<ReleaseSummary> ListReleases(WebCatalog catalog) => With(catalog, null, d => d.ListReleases());

    /// <summary>The recipient's download (audited by the service), or null for an unknown, revoked or expired link.</summary>
    public static ReleaseDownload? OpenDownload(WebCatalog catalog, string capability, string who) =>
        Run(catalog, null, "", (d, _) => d.OpenDownload(capability, who)).Result;

    private static (T? Result, string? Refusal) Run<T>(WebCatalog catalog, IReleaseMedia? media, string passphrase, Func<DisclosureService, byte[], T> act)
    {
        var bytes = Encoding.UTF8.GetBytes(passphrase);
        try
        {
            return (With(catalog, media, d => act(d, bytes)), null);
        }
        catch (UserError ex)
        {
            return (default, ex.Message);
        }
        finally
        {
            Array.Clear(bytes);
        }
    }

    private static T With<T>(WebCatalog catalog, IReleaseMedia? media, Func<DisclosureService, T> act)
    {
        using var db = CatalogDatabase.Open(catalog.Data.CatalogPath);
        using var disclosure = new DisclosureService(catalog.Data, db, catalog.Time, media);
        return act(disclosure);
    }
}
