namespace HomeVault.Core.Audit;

/// <summary>The audit log cannot do what was asked (damaged store, unknown index); the message is one line fit for the user.</summary>
public sealed class AuditException : UserError
{
    public AuditException(string message) : base(message) { }

    public AuditException(string message, Exception inner) : base(message, inner) { }

    public AuditException() { }
}
