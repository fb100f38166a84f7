namespace HomeVault.Core.Vault;

/// <summary>
/// An age file or key could not be processed. The message is one line and never contains key
/// material or passphrases, so it is safe to log.
/// </summary>
public sealed class AgeException : UserError
{
    public AgeException()
        : this(AgeErrorKind.InvalidHeader, "age: invalid input")
    {
    }

    public AgeException(string message)
        : this(AgeErrorKind.InvalidHeader, message)
    {
    }

    public AgeException(string message, Exception innerException)
        : base(message, innerException)
    {
        Kind = AgeErrorKind.InvalidHeader;
    }

    public AgeException(AgeErrorKind kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    public AgeErrorKind Kind { get; }
}
