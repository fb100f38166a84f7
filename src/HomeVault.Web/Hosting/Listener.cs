namespace HomeVault.Web.Hosting;

/// <summary>Which Kestrel listener a connection arrived on; every endpoint belongs to exactly one.</summary>
public enum Listener
{
    Intake,
    Console,
}
