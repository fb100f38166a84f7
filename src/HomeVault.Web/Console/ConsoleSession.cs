using HomeVault.Core.Vault;

namespace HomeVault.Web.Console;

/// <summary>
/// One unlocked console: the owner and their age identity, held in this process's memory only (never written
/// anywhere) until the owner locks it, it sits idle too long, or the service stops.
/// </summary>
public sealed class ConsoleSession(string owner, X25519Identity identity, DateTimeOffset now) : IDisposable
{
    public string Owner { get; } = owner;

    public X25519Identity Identity { get; } = identity;

    public DateTimeOffset LastSeen { get; private set; } = now;

    public void Touch(DateTimeOffset now) => LastSeen = now;

    public void Dispose() => Identity.Dispose();
}
