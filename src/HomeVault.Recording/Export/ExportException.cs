using HomeVault.Core;

namespace HomeVault.Recording.Export;

/// <summary>An export could not be produced; one line for the user.</summary>
public sealed class ExportException : UserError
{
    public ExportException(string message) : base(message) { }

    public ExportException(string message, Exception inner) : base(message, inner) { }

    public ExportException() { }
}
