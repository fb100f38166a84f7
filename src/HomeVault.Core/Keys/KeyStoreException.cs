namespace HomeVault.Core.Keys;

/// <summary>A key cannot be created or unlocked; the message is one line and holds no secret.</summary>
public sealed class KeyStoreException : UserError
{
    public KeyStoreException(string message) : base(message) { }

    public KeyStoreException(string message, Exception inner) : base(message, inner) { }

    public KeyStoreException() { }
}
