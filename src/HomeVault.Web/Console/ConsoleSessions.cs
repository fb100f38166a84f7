using System.Collections.Concurrent;
using System.Security.Cryptography;
using HomeVault.Core.Audit;
using HomeVault.Web.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace HomeVault.Web.Console;

/// <summary>
/// Unlocked console sessions, keyed by the SHA-256 of a random cookie value (the cookie is HttpOnly, SameSite=Strict).
/// An idle session is locked (its identity disposed) at the next look or the next sweep, whichever comes first.
/// </summary>
public sealed class ConsoleSessions(WebOptions options, WebCatalog catalog) : BackgroundService
{
    public const string CookieName = "hv_console";

    public static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<string, ConsoleSession> _sessions = new(StringComparer.Ordinal);

    public TimeSpan IdleLimit => TimeSpan.FromMinutes(options.ConsoleIdleMinutes);

    public int Count => _sessions.Count;

    /// <summary>Starts a session; returns the cookie value.</summary>
    public string Open(ConsoleSession session)
    {
        var cookie = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        _sessions[Key(cookie)] = session;
        return cookie;
    }

    /// <summary>The live session this request carries, touched; null when there is none (or it just expired).</summary>
    public ConsoleSession? Current(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.Cookies.TryGetValue(CookieName, out var cookie) || string.IsNullOrEmpty(cookie) || cookie.Length > 100)
        {
            return null;
        }
        var key = Key(cookie);
        if (!_sessions.TryGetValue(key, out var session))
        {
            return null;
        }
        var now = catalog.Time.GetUtcNow();
        if (now - session.LastSeen > IdleLimit)
        {
            Close(key, "idle");
            return null;
        }
        session.Touch(now);
        return session;
    }

    /// <summary>Locks the request's session, if any.</summary>
    public void Lock(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.Cookies.TryGetValue(CookieName, out var cookie) && !string.IsNullOrEmpty(cookie))
        {
            Close(Key(cookie), "lock");
        }
    }

    internal void SweepIdle()
    {
        var now = catalog.Time.GetUtcNow();
        foreach (var (key, session) in _sessions)
        {
            if (now - session.LastSeen > IdleLimit)
            {
                Close(key, "idle");
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(SweepEvery, catalog.Time, stoppingToken).ConfigureAwait(false);
                SweepIdle();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: every identity is forgotten below.
        }
        foreach (var key in _sessions.Keys)
        {
            Close(key, "shutdown");
        }
    }

    private void Close(string key, string reason)
    {
        if (_sessions.TryRemove(key, out var session))
        {
            var owner = session.Owner;
            session.Dispose();
            catalog.Record(new AuditEvent(owner, AuditActions.ConsoleLocked, "owner/" + owner, new Dictionary<string, string>
            {
                ["via"] = "console",
                ["reason"] = reason,
            }));
        }
    }

    private static string Key(string cookie) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(cookie)));
}
