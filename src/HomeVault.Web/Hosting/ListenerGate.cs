using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace HomeVault.Web.Hosting;

/// <summary>
/// Keeps the console off the intake listener and the intake off the console: each connection is tagged by the
/// listener that accepted it, each endpoint carries the listener it belongs to, and a mismatch (or an endpoint with
/// no listener at all) is answered 404, exactly as if the route did not exist.
/// </summary>
public static class ListenerGate
{
    private const string ItemKey = "homevault.listener";

    /// <summary>Tags every connection accepted by a listener (Kestrel connection middleware).</summary>
    public static Func<ConnectionDelegate, ConnectionDelegate> Tag(Listener listener) => next => connection =>
    {
        connection.Items[ItemKey] = listener;
        return next(connection);
    };

    public static Listener? Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
        return items is not null && items.TryGetValue(ItemKey, out var value) && value is Listener l ? l : null;
    }

    public static TBuilder OnListener<TBuilder>(this TBuilder builder, Listener listener) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new ListenerMetadata(listener));

    /// <summary>Runs after routing has chosen an endpoint and before anything else looks at the request.</summary>
    public static IApplicationBuilder UseListenerGate(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is not null)
        {
            var owner = endpoint.Metadata.GetMetadata<ListenerMetadata>();
            if (owner is null || owner.Listener != Of(context))
            {
                context.SetEndpoint(null);
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
        }
        await next(context).ConfigureAwait(false);
    });
}

/// <summary>The listener an endpoint answers on.</summary>
public sealed record ListenerMetadata(Listener Listener);
