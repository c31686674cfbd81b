using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

/// <summary>
/// The application Kestrel calls for every request: one terminal <see cref="RequestDelegate"/> over an
/// <see cref="HttpContext"/> that each connection reuses, without the generic host's per-request layer (its
/// diagnostics checks, activity and metrics hooks, request services, middleware pipeline).
/// </summary>
/// <remarks>
/// An experiment of the ceiling (KUMO_BARE_APP=terminal), kept so its figure can be measured again: no gain over the
/// host's own application (0.98× the rate, +0.7 µs CPU per request, bench/results/request-cost.md section 24), so the
/// host's per-request layer is not where Kestrel's cost is and the engine keeps <c>app.Run</c>.
/// </remarks>
internal sealed class TerminalApplication(RequestDelegate handler) : IHttpApplication<TerminalApplication.Context>
{
    /// <inheritdoc />
    public Context CreateContext(IFeatureCollection contextFeatures)
    {
        if (contextFeatures is IHostContextContainer<Context> container)
        {
            if (container.HostContext is { } reused)
            {
                reused.Http.Initialize(contextFeatures);
                return reused;
            }

            return container.HostContext = new Context(new DefaultHttpContext(contextFeatures));
        }

        return new Context(new DefaultHttpContext(contextFeatures));
    }

    /// <inheritdoc />
    public Task ProcessRequestAsync(Context context) => handler(context.Http);

    /// <inheritdoc />
    public void DisposeContext(Context context, Exception? exception) => context.Http.Uninitialize();

    /// <summary>A connection's request context: the <see cref="HttpContext"/> its requests reuse.</summary>
    internal sealed class Context(DefaultHttpContext http)
    {
        /// <summary>The request's context.</summary>
        public DefaultHttpContext Http { get; } = http;
    }
}
