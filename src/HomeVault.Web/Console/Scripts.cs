namespace HomeVault.Web.Console;

/// <summary>The console's JavaScript (Console/Scripts/*.js, embedded in the binary), served from the console itself as the CSP requires.</summary>
internal static class Scripts
{
    public static readonly string Timeline = Load("timeline.js");

    public static readonly string Live = Load("live.js");

    private static string Load(string name)
    {
        using var stream = typeof(Scripts).Assembly.GetManifestResourceStream("HomeVault.Web.Console.Scripts." + name)
            ?? throw new InvalidOperationException($"script {name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
