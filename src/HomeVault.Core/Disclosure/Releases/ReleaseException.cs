namespace HomeVault.Core.Disclosure.Releases;

/// <summary>A release cannot be built, found, changed or verified; the message is one line naming the problem.</summary>
public sealed class ReleaseException : UserError
{
    public ReleaseException(string message) : base(message) { }

    public ReleaseException(string message, Exception inner) : base(message, inner) { }

    public ReleaseException() { }
}
