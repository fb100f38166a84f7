namespace HomeVault.Core;

/// <summary>
/// A failure the user caused or can fix (bad input, a wrong passphrase, a damaged or missing file, a tool that is
/// not installed), with a one-line message that holds no secret. Every front end reports it the same way and as
/// it is: the CLI as "homevault: MESSAGE" with exit code 1, the console on the page. Anything else is a bug and
/// keeps its stack trace. The specific failures derive from it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1710:Identifiers should have correct suffix",
    Justification = "Named for what it means to the user, as every command has thrown it; the specific types end in Exception.")]
public class UserError : Exception
{
    public UserError(string message) : base(message) { }

    public UserError(string message, Exception inner) : base(message, inner) { }

    public UserError() { }
}
