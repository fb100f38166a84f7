namespace HomeVault.Recording.Simulation;

/// <summary>The camera simulator could not be started; the message says why in one line.</summary>
public sealed class CamsimException : Exception
{
    public CamsimException()
    {
    }

    public CamsimException(string message) : base(message)
    {
    }

    public CamsimException(string message, Exception inner) : base(message, inner)
    {
    }
}
