namespace HomeVault.Core.Vault;

/// <summary>
/// age identity files: one <c>AGE-SECRET-KEY-1…</c> per line, '#' comments and blank lines ignored,
/// as written by age-keygen. Errors name the line number, never the line.
/// </summary>
public static class IdentityFile
{
    public static IReadOnlyList<X25519Identity> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<X25519Identity>();
        var lineNo = 0;
        try
        {
            foreach (var rawLine in text.Split('\n'))
            {
                lineNo++;
                var line = rawLine.TrimEnd('\r');
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }
                try
                {
                    result.Add(X25519Identity.Parse(line));
                }
                catch (AgeException e)
                {
                    throw new AgeException(AgeErrorKind.InvalidKey, $"identity file line {lineNo}: {e.Message}");
                }
            }
            if (result.Count == 0)
            {
                throw new AgeException(AgeErrorKind.InvalidKey, "identity file contains no identities");
            }
            return result;
        }
        catch
        {
            foreach (var id in result)
            {
                id.Dispose();
            }
            throw;
        }
    }

    /// <summary>The file age-keygen would write: created time, public key comment, secret key.</summary>
    public static string Format(X25519Identity identity, DateTimeOffset created)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return $"# created: {created.ToString("yyyy-MM-ddTHH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture)}\n" +
            $"# public key: {identity.Recipient}\n" +
            identity.ExportSecret() + "\n";
    }
}
