using HomeVault.Core;

namespace HomeVault.Recording.Processes;

/// <summary>A program that could not be started (not installed, not executable): the user's to fix, in one line.</summary>
public sealed class ChildProcessException : UserError
{
    public ChildProcessException(string message) : base(message) { }

    public ChildProcessException(string message, Exception inner) : base(message, inner) { }

    public ChildProcessException() { }
}
