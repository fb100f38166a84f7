namespace HomeVault.Core.Clips;

/// <summary>Answers whether footage is on legal hold (inside the scope of a pending or approved request).</summary>
public interface ILegalHolds
{
    bool IsHeld(string camera, DateTimeOffset clipStart, DateTimeOffset clipEnd);
}
