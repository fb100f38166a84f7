namespace HomeVault.Core.Disclosure.Requests;

/// <summary>
/// A request (or a document, statement or action on a request) was refused. <see cref="Problems"/> holds one
/// line per problem, each naming the field, e.g. <c>scope.cameras[1]: unknown camera 'garage'</c>.
/// </summary>
public sealed class AccessRequestException : UserError
{
    public AccessRequestException(IReadOnlyList<string> problems)
        : base(Summarise(problems))
    {
        Problems = problems;
    }

    public AccessRequestException(string message) : base(message)
    {
        Problems = [message];
    }

    public AccessRequestException(string message, Exception inner) : base(message, inner)
    {
        Problems = [message];
    }

    public AccessRequestException() : this("access request refused")
    {
    }

    public IReadOnlyList<string> Problems { get; }

    private static string Summarise(IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return problems.Count switch
        {
            0 => "access request refused",
            1 => problems[0],
            _ => $"{problems.Count} problems: " + string.Join("; ", problems),
        };
    }
}
