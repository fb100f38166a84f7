using HomeVault.Core.Clips;

namespace HomeVault.Core.Disclosure.Requests;

/// <summary>Legal holds from access requests: footage in the scope of a pending, approved or preservation request is held.</summary>
public sealed class RequestLegalHolds(RequestRepository requests) : ILegalHolds
{
    public bool IsHeld(string camera, DateTimeOffset clipStart, DateTimeOffset clipEnd, Microsoft.Data.Sqlite.SqliteTransaction? tx) =>
        requests.IsHeld(camera, clipStart, clipEnd, tx);
}
