using HomeVault.Core.Vault;

namespace HomeVault.Web.Console;

/// <summary>
/// One unlocked console: the owner and their age identity, held in this process's memory only (never written
/// anywhere) until the owner locks it, it sits idle too long, or the service stops. Whatever streams to the session
/// (live views) watches <see cref="Locked"/> and ends with it.
/// </summary>
public sealed class ConsoleSession(string owner, X25519Identity identity, DateTimeOffset now) : IDisposable
{
    private readonly CancellationTokenSource _locked = new();

    public string Owner { get; } = owner;

    public X25519Identity Identity { get; } = identity;

    public DateTimeOffset LastSeen { get; private set; } = now;

    /// <summary>Cancelled when the session is locked (button, idle timeout, shutdown).</summary>
    public CancellationToken Locked => _locked.Token;

    public void Touch(DateTimeOffset now) => LastSeen = now;

    public void Dispose()
    {
        _locked.Cancel();
        Identity.Dispose();
    }
}
