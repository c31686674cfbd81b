using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;

namespace Kumo.Embedded.Hosting;

/// <summary>
/// Where the engine's request code runs when it is its own process: inline on the socket event threads (one per
/// core), instead of being handed to the thread pool once by the socket layer and once more by Kestrel per read.
/// </summary>
/// <remarks>
/// <para>
/// Measured side by side on a 2-core machine (<c>bench/results/peers.md</c>), the two hand-offs cost more than most
/// requests' own work: inline, the CPU per request at one connection halves and 8-connection GET, PUT and SendMessage
/// rates rise. It is safe here because no request code blocks a thread: durable waits and long polls are awaited,
/// fsyncs run on the journal's own threads, locks are held only for in-memory work.
/// </para>
/// <para>
/// Only for the engine's own process (<c>kumo-embedded</c>): <see cref="InlineCompletionsVariable"/> is read once per
/// process by the runtime's socket layer and applies to every socket in it, so an engine hosted in a test process
/// never sets it (that process's own clients would run their continuations on event threads). A value the user set
/// (e.g. <c>0</c>) is kept, and child processes (init scripts) do not inherit the engine's own choice.
/// </para>
/// </remarks>
internal static class SocketScheduling
{
    /// <summary>The runtime's switch for running socket completions on the event threads (<c>1</c> = inline).</summary>
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    private static bool s_setByEngine;

    /// <summary>Whether socket completions run inline in this process; Kestrel then schedules request code inline too.</summary>
    public static bool IsInline => Environment.GetEnvironmentVariable(InlineCompletionsVariable) == "1";

    /// <summary>
    /// Chooses inline completions for this process unless the environment already says; call first thing in the
    /// engine's entry point, before any socket exists.
    /// </summary>
    public static void PreferInlineForThisProcess()
    {
        if (Environment.GetEnvironmentVariable(InlineCompletionsVariable) is null)
        {
            Environment.SetEnvironmentVariable(InlineCompletionsVariable, "1");
            s_setByEngine = true;
        }
    }

    /// <summary>
    /// Kestrel's socket transport as the engine (and the bench's bare Kestrel, its ceiling) runs it: request code
    /// inline when <see cref="IsInline"/>; each receive straight into a pool block instead of a zero-byte read first
    /// (2.2 <c>recv</c> calls per 4 KiB PutObject instead of 4.0, by <c>strace -c</c>; a block is held per open
    /// connection); and blocks from <see cref="TransportBlockPool"/>, large enough for a request or an answer with a
    /// 4 KiB body (1.02 <c>recv</c> per PutObject).
    /// </summary>
    public static void Use(IWebHostBuilder webHost)
    {
        webHost.UseSockets(Configure);
        webHost.ConfigureServices(services => services.AddSingleton<IMemoryPoolFactory<byte>, TransportBlockPool.Factory>());
    }

    private static void Configure(SocketTransportOptions sockets)
    {
        sockets.UnsafePreferInlineScheduling = IsInline;
        sockets.WaitForDataBeforeAllocatingBuffer = false;
    }

    /// <summary>Removes the engine's own choice from a child process's environment (a user's explicit value stays).</summary>
    public static void KeepFromChild(IDictionary<string, string?> environment)
    {
        if (s_setByEngine)
        {
            environment.Remove(InlineCompletionsVariable);
        }
    }
}
