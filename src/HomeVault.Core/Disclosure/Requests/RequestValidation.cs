namespace HomeVault.Core.Disclosure.Requests;

/// <summary>The outcome of validating a request: the normalised request, or every problem found (one line each).</summary>
public sealed class RequestValidation
{
    internal RequestValidation(AccessRequest? request, IReadOnlyList<string> problems)
    {
        Request = request;
        Problems = problems;
    }

    public AccessRequest? Request { get; }

    public IReadOnlyList<string> Problems { get; }

    public bool IsValid => Request is not null;

    /// <exception cref="AccessRequestException">The request was invalid.</exception>
    public AccessRequest GetRequestOrThrow() => Request ?? throw new AccessRequestException(Problems);
}
