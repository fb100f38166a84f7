using Microsoft.AspNetCore.HttpOverrides;
using System.Threading.RateLimiting;
using HomeVault.Core.Disclosure.Requests;
using HomeVault.Core;
using HomeVault.Core.Clips;
using HomeVault.Core.Disclosure.Releases;
using HomeVault.Core.Recorder;
using HomeVault.Web.Console;
using HomeVault.Web.Intake;
using HomeVault.Web.Operations;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace HomeVault.Web.Hosting;

/// <summary>
/// Builds the web side of `homevault serve`: two Kestrel listeners (intake for requesters, console for owners), each
/// endpoint bound to one of them, the framework's rate limiter on the intake, antiforgery on every console form.
/// </summary>
public static class HomeVaultWebApp
{
    /// <param name="live">The recorder's live feed and stills (null without a recorder in this process: no live view, no stills).</param>
    public static WebApplication Build(WebOptions options, string dataDirectory, IReleaseMedia releaseMedia, IFootageExport footageExport, TimeProvider? time = null, Action<ILoggingBuilder>? logging = null,
        (ILiveFeed Feed, ICameraStills Stills)? live = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(releaseMedia);
        ArgumentNullException.ThrowIfNull(footageExport);
        var problems = ListenerUrls.Validate(options);
        if (problems.Count > 0)
        {
            throw new ArgumentException(problems[0], nameof(options));
        }
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = dataDirectory, Args = [] });
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        var listeners = new WebListeners();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = IntakeBody.MaxBytes(AccessRequestLimits.Default);
            k.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            foreach (var e in ListenerUrls.Parse(options.IntakeUrls, "").EndPoints)
            {
                k.Listen(e, l =>
                {
                    l.Use(ListenerGate.Tag(Listener.Intake));
                    listeners.Add(Listener.Intake, l);
                });
            }
            foreach (var e in ListenerUrls.Parse(options.ConsoleUrls, "").EndPoints)
            {
                k.Listen(e, l =>
                {
                    l.Use(ListenerGate.Tag(Listener.Console));
                    listeners.Add(Listener.Console, l);
                });
            }
        });
        var clock = time ?? TimeProvider.System;
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(releaseMedia);
        builder.Services.AddSingleton(footageExport);
        builder.Services.AddSingleton(listeners);
        builder.Services.AddSingleton(clock);
        if (live is var (feed, stills))
        {
            builder.Services.AddSingleton(feed);
            builder.Services.AddSingleton(stills);
        }
        builder.Services.AddSingleton(_ => new WebCatalog(new DataDirectory(dataDirectory), clock));
        builder.Services.AddSingleton<HomeVaultMetrics>();
        builder.Services.AddSingleton<Webhooks>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Webhooks>());
        builder.Services.AddHostedService<WebhookWatcher>();
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, WebJson.Default));
        // Antiforgery tokens need data-protection keys; kept in memory only, like the sessions they protect, so
        // nothing about the console is written to disk and a restart simply asks for a fresh unlock.
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(IntakeEndpoints.RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.IntakePermitsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            // Each unlock attempt costs a scrypt (about 1.5 s of CPU): guessing is slow, and cannot starve the recorder.
            o.AddPolicy(LoginPages.RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = LoginPages.AttemptsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        ConsoleEndpoints.AddServices(builder.Services, options);

        var app = builder.Build();
        if (options.TrustedProxies.Count > 0)
        {
            // Only the configured proxies are believed (the framework's default trusts loopback): behind one, every
            // client would otherwise share the proxy's rate-limit window and be audited under its address.
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto, ForwardLimit = 1 };
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
            foreach (var proxy in options.TrustedProxies)
            {
                forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }
            app.UseForwardedHeaders(forwarded);
        }
        app.UseExceptionHandler();
        app.UseRouting();
        app.UseListenerGate();
        app.UseRateLimiter();
        app.UseWebSockets();
        ConsoleEndpoints.UseMiddleware(app);
        app.UseAntiforgery();
        // A post whose antiforgery token failed is refused here, before its endpoint binds the form: the generated
        // binding (the native build's) would otherwise meet the failure as an exception and answer 500.
        app.Use(async (context, next) =>
        {
            if (context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false })
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
            await next(context).ConfigureAwait(false);
        });
        MapOperations(app);
        IntakeEndpoints.Map(app);
        ConsoleEndpoints.Map(app);
        return app;
    }

    private static void MapOperations(IEndpointRouteBuilder routes)
    {
        var metrics = routes.ServiceProvider.GetRequiredService<HomeVaultMetrics>();
        routes.MapMetrics("/metrics", metrics.Registry).OnListener(Listener.Console);
        // The owners' monitor learns what is wrong (the recorder, each camera down and why)...
        routes.MapGet("/healthz", (WebCatalog catalog) => HealthAnswer.Answer(catalog)).OnListener(Listener.Console);
        // ...while requesters get liveness only: the intake must not tell them which cameras exist or work.
        routes.MapGet("/api/healthz", () => Results.Text("ok\n")).OnListener(Listener.Intake);
    }
}
