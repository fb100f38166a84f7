using HomeVault.Recording.Configuration;
using Microsoft.Extensions.Configuration;

namespace HomeVault.Cli.Infrastructure;

/// <summary>Reads and validates homevault.json (JSON with comments); problems become one-line errors naming the field.</summary>
internal static class ConfigLoader
{
    public const string DefaultPath = "/etc/homevault/homevault.json";

    public static (HomeVaultOptions Options, IConfiguration Configuration) Load(string? path, string? dataOverride)
    {
        var file = Path.GetFullPath(path ?? DefaultPath);
        if (!File.Exists(file))
        {
            throw new UserError($"configuration file {file} does not exist (see config/homevault.json for an example)");
        }
        IConfiguration configuration;
        try
        {
            configuration = new ConfigurationBuilder().AddJsonFile(file, optional: false, reloadOnChange: false).Build();
        }
        catch (Exception ex) when (ex is FormatException or InvalidDataException or System.Text.Json.JsonException)
        {
            throw new UserError($"configuration file {file} is not valid JSON: {FirstLine(ex.InnerException?.Message ?? ex.Message)}");
        }
        var options = new HomeVaultOptions();
        try
        {
            configuration.GetSection(HomeVaultOptions.SectionName).Bind(options, o => o.ErrorOnUnknownConfiguration = true);
        }
        catch (InvalidOperationException ex)
        {
            throw new UserError($"configuration file {file}: {FirstLine(ex.Message)}");
        }
        if (dataOverride is not null)
        {
            options.DataDirectory = dataOverride;
        }
        var errors = HomeVaultOptionsValidator.ValidateAll(options);
        if (errors.Count > 0)
        {
            var more = errors.Count > 1 ? $" (and {errors.Count - 1} more problem{(errors.Count > 2 ? "s" : "")})" : "";
            throw new UserError($"configuration file {file}: {errors[0]}{more}");
        }
        return (options, configuration);
    }

    private static string FirstLine(string s) => s.Split('\n')[0].Trim();
}
