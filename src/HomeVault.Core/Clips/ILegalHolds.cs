using HomeVault.Core.Catalog;

namespace HomeVault.Core.Clips;

/// <summary>Answers whether footage is on legal hold (inside the scope of a pending or approved request).</summary>
public interface ILegalHolds
{
    /// <summary>Asked inside the transaction that would delete the clip, so a hold placed meanwhile wins.</summary>
    bool IsHeld(CatalogWork work, string camera, DateTimeOffset clipStart, DateTimeOffset clipEnd);
}
