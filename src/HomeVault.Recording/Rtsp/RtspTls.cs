using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HomeVault.Recording.Rtsp;

/// <summary>
/// rtsps:// (RTSP over TLS): the connection's stream wrapped in a <see cref="SslStream"/>. The camera's certificate is
/// checked against the system's trust store and the URL's host, or, when the camera's configuration pins one (most
/// cameras have a self-signed certificate), must be exactly the certificate whose SHA-256 fingerprint is pinned.
/// A refusal says why in one line (<see cref="RtspTlsException"/>), never anything of the credentials.
/// </summary>
internal static class RtspTls
{
    /// <summary>rtsps:// without a port: RFC 2326's default for RTSP over TLS.</summary>
    public const int DefaultPort = 322;

    public static SslStream Connect(Socket socket, string host, byte[]? pin)
    {
        string? refusal = null;
        bool Check(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            refusal = Refusal(certificate, errors, pin);
            return refusal is null;
        }
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false), leaveInnerStreamOpen: false, Check);
        try
        {
            // Blocking, on the camera's own thread, bounded by the socket's timeouts.
            ssl.AuthenticateAsClient(new SslClientAuthenticationOptions { TargetHost = host });
            return ssl;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            ssl.Dispose();
            throw refusal is not null
                ? new RtspTlsException($"tls: {refusal}", e)
                : new IOException($"tls: handshake failed: {(e.InnerException ?? e).Message}", e);
        }
    }

    /// <summary>A fingerprint as configured: 64 hex digits, colons or spaces between them allowed; null if it is not one.</summary>
    public static byte[]? ParseFingerprint(string text)
    {
        var hex = text.Replace(":", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        try
        {
            return hex.Length == 64 ? Convert.FromHexString(hex) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string? Refusal(X509Certificate? certificate, SslPolicyErrors errors, byte[]? pin)
    {
        if (certificate is null)
        {
            return "the camera sent no certificate";
        }
        if (pin is not null)
        {
            var actual = SHA256.HashData(certificate.GetRawCertData());
            return CryptographicOperations.FixedTimeEquals(actual, pin) ? null
                : $"the camera's certificate (SHA-256 {Convert.ToHexString(actual)}) is not the pinned one";
        }
        if (errors == SslPolicyErrors.None)
        {
            return null;
        }
        var why = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            why.Add("not issued by an authority the system trusts (self-signed?)");
        }
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            why.Add("not issued for this host name");
        }
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            why.Add("not available");
        }
        return $"the camera's certificate is {string.Join(" and ", why)}; pin its SHA-256 fingerprint with TlsFingerprint to trust it";
    }
}

/// <summary>The camera's certificate was refused: retrying will not help until the certificate or the configuration changes.</summary>
internal sealed class RtspTlsException(string message, Exception inner) : IOException(message, inner);
