namespace HomeVault.Core.Vault;

/// <summary>One recipient stanza of an age header: type, arguments and (already decoded) body.</summary>
internal sealed class Stanza
{
    public Stanza(string type, IReadOnlyList<string> args, byte[] body)
    {
        Type = type;
        Args = args;
        Body = body;
    }

    public string Type { get; }

    public IReadOnlyList<string> Args { get; }

    public byte[] Body { get; }
}
