using HomeVault.Core.Catalog;
using HomeVault.Core.Clips;

namespace HomeVault.Core.Disclosure.Requests;

/// <summary>Legal holds from access requests: footage in the scope of a pending, approved or preservation request is held.</summary>
public sealed class RequestLegalHolds : ILegalHolds
{
    public bool IsHeld(CatalogWork work, string camera, DateTimeOffset clipStart, DateTimeOffset clipEnd) =>
        work.Requests.IsHeld(camera, clipStart, clipEnd);
}
