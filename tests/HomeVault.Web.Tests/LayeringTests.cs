using System.Reflection;
using System.Xml.Linq;
using HomeVault.Core;
using HomeVault.Recording.Service;
using HomeVault.Tests;
using HomeVault.Web.Hosting;

namespace HomeVault.Web.Tests;

/// <summary>
/// The layering ARCHITECTURE.md draws, held by the build's own inputs and outputs: Core knows no ffmpeg, HTTP or
/// command line; the web side knows Core only, never the recorder; only the CLI host knows every project.
/// </summary>
public sealed class LayeringTests
{
    /// <summary>What each source project may reference (projects, packages, frameworks), by name.</summary>
    private static readonly Dictionary<string, string[]> Forbidden = new()
    {
        ["HomeVault.Core"] = ["HomeVault.Recording", "HomeVault.Web", "HomeVault.Cli", "Microsoft.AspNetCore", "FFMpegCore", "System.CommandLine", "Microsoft.Extensions.Hosting", "prometheus-net"],
        ["HomeVault.Recording"] = ["HomeVault.Web", "HomeVault.Cli", "Microsoft.AspNetCore", "System.CommandLine", "prometheus-net"],
        ["HomeVault.Web"] = ["HomeVault.Recording", "HomeVault.Cli", "FFMpegCore", "System.CommandLine"],
    };

    public static TheoryData<string> Projects() => new(Forbidden.Keys);

    [Theory]
    [MemberData(nameof(Projects))]
    public void Project_file_references_nothing_its_layer_must_not_know(string project)
    {
        var csproj = XDocument.Load(Path.Combine(TestEnv.RepoRoot, "src", project, project + ".csproj"));
        var references = csproj.Descendants()
            .Where(e => e.Name.LocalName is "ProjectReference" or "PackageReference" or "FrameworkReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")?.Value ?? ""))
            .ToList();
        Assert.NotEmpty(references);
        var bad = references.Where(r => Forbidden[project].Any(f => r.StartsWith(f, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(bad.Count == 0, $"{project}.csproj references {string.Join(", ", bad)}");
    }

    [Fact]
    public void Compiled_assemblies_reference_nothing_their_layer_must_not_know()
    {
        var assemblies = new Dictionary<string, Assembly>
        {
            ["HomeVault.Core"] = typeof(DataDirectory).Assembly,
            ["HomeVault.Recording"] = typeof(RecorderService).Assembly,
            ["HomeVault.Web"] = typeof(HomeVaultWebApp).Assembly,
        };
        foreach (var (name, assembly) in assemblies)
        {
            Assert.Equal(name, assembly.GetName().Name);
            var bad = assembly.GetReferencedAssemblies()
                .Select(a => a.Name ?? "")
                .Where(r => Forbidden[name].Any(f => r.StartsWith(f, StringComparison.OrdinalIgnoreCase)))
                .ToList();
            Assert.True(bad.Count == 0, $"{name} references {string.Join(", ", bad)}");
        }
    }
}
