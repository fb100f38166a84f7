namespace HomeVault.Core.Disclosure.Requests;

/// <summary>The kinds of legal basis HomeVault records. The wire names are the kebab-case forms.</summary>
public enum LegalBasisType
{
    SearchWarrant,
    CourtOrder,
    Subpoena,
    Emergency,
    /// <summary>Asks only that footage be kept; approving it places a hold and can never lead to a release.</summary>
    Preservation,
    Voluntary,
}

public static class LegalBasisTypes
{
    private static readonly (LegalBasisType Type, string Name)[] All =
    [
        (LegalBasisType.SearchWarrant, "search-warrant"),
        (LegalBasisType.CourtOrder, "court-order"),
        (LegalBasisType.Subpoena, "subpoena"),
        (LegalBasisType.Emergency, "emergency"),
        (LegalBasisType.Preservation, "preservation"),
        (LegalBasisType.Voluntary, "voluntary"),
    ];

    /// <summary>The wire names, in declaration order (for messages and the JSON schema).</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(a => a.Name).ToArray();

    public static string ToWireName(this LegalBasisType type)
    {
        foreach (var (t, name) in All)
        {
            if (t == type)
            {
                return name;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(type));
    }

    public static bool TryParse(string? name, out LegalBasisType type)
    {
        foreach (var (t, n) in All)
        {
            if (string.Equals(n, name, StringComparison.Ordinal))
            {
                type = t;
                return true;
            }
        }
        type = default;
        return false;
    }

    /// <summary>Documents issued by a court or authority must name their reference and issuer.</summary>
    public static bool RequiresReference(this LegalBasisType type) =>
        type is LegalBasisType.SearchWarrant or LegalBasisType.CourtOrder or LegalBasisType.Subpoena;
}
