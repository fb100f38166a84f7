namespace HomeVault.Core.Catalog;

/// <summary>The catalog cannot be used as asked; the message is one line fit for the user.</summary>
public sealed class CatalogException : UserError
{
    public CatalogException(string message) : base(message) { }

    public CatalogException(string message, Exception inner) : base(message, inner) { }

    public CatalogException() { }
}
