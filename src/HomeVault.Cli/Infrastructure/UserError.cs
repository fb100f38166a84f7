namespace HomeVault.Cli.Infrastructure;

/// <summary>An expected failure: printed as one line on stderr, exit code 1, never a stack trace.</summary>
internal sealed class UserError : Exception
{
    public UserError(string message) : base(message) { }

    public UserError(string message, Exception inner) : base(message, inner) { }

    public UserError() { }
}
