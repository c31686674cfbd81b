using System.Diagnostics;
using System.Net.Sockets;

namespace Kumo.Embedded.Server;

/// <summary>
/// A short, bounded watch of a connection's socket before its thread blocks in <c>recv</c> for the client's next
/// request: a client that sends it within the window (the next call of a test, a load generator's loop) is read
/// without this thread going to sleep and being woken, which at one connection is a third (PUT) to three fifths (GET)
/// of a small request's time (bench/results/request-cost.md section 26).
/// </summary>
/// <remarks>
/// <para>
/// Bounded three ways, so that watching never takes a processor something else could use and an idle or slow client
/// costs next to nothing:
/// </para>
/// <list type="bullet">
/// <item>the window itself (<see cref="KumoEngineOptions.HttpSpinWait"/>, <c>KUMO_HTTP_SPIN_US</c>);</item>
/// <item>a connection watches only while every other connection's thread is blocked waiting for its client, and yields
/// its processor between looks (<c>sched_yield</c>), so a thread woken meanwhile runs at once and, once it runs, ends
/// the watch: with requests in flight on other connections, their threads need the processors;</item>
/// <item>a connection whose client missed the window skips its next 1, 3, 7 … up to 63 waits before it watches again
/// (<see cref="History"/>), so a client slower than the window is watched on at most one wait in 64.</item>
/// </list>
/// <para>The watch asks the socket how many bytes it holds (<c>ioctl(FIONREAD)</c>), which never blocks.</para>
/// </remarks>
internal sealed class ReceiveSpin
{
    /// <summary>The most waits a connection skips after its client has missed the window repeatedly: 2^6 − 1.</summary>
    private const int MaxMissShift = 6;

    private readonly long _windowTicks;
    private int _open;
    private int _blocked;

    /// <summary>Watches for at most <paramref name="window"/> (zero: never).</summary>
    public ReceiveSpin(TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.Zero);
        _windowTicks = (long)(window.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>A connection's thread starts (it counts as wanting a processor until it blocks).</summary>
    public void Opened() => Interlocked.Increment(ref _open);

    /// <summary>A connection's thread ends.</summary>
    public void Closed() => Interlocked.Decrement(ref _open);

    /// <summary>A connection's thread blocks waiting for its client (or for its handler), not wanting a processor.</summary>
    public void Blocking() => Interlocked.Increment(ref _blocked);

    /// <summary>The thread that called <see cref="Blocking"/> runs again.</summary>
    public void Woke() => Interlocked.Decrement(ref _blocked);

    /// <summary>
    /// Watches <paramref name="socket"/> until it holds bytes or the window passes, unless <paramref name="history"/> says
    /// to skip this wait or another connection's thread is running; the blocking receive that follows is unchanged.
    /// </summary>
    public void Wait(Socket socket, ref History history)
    {
        if (_windowTicks == 0)
        {
            return;
        }

        if (history.Skips > 0)
        {
            history.Skips--;
            return;
        }

        try
        {
            long until = Stopwatch.GetTimestamp() + _windowTicks;
            while (OnlyRunningConnection())
            {
                if (socket.Available > 0)
                {
                    history.Misses = 0;
                    return;
                }

                // A thread made runnable meanwhile (a client's bytes arrived on another connection) gets this
                // processor at once and, once it runs, ends this watch.
                Thread.Yield();
                if (Stopwatch.GetTimestamp() >= until)
                {
                    history.Misses = Math.Min(history.Misses + 1, MaxMissShift);
                    history.Skips = (1 << history.Misses) - 1;
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Closed meanwhile: the receive that follows reports it.
        }
    }

    // The caller's thread is the only connection thread not blocked (threads a handler awaits on are not counted).
    private bool OnlyRunningConnection() => Volatile.Read(ref _open) - Volatile.Read(ref _blocked) <= 1;

    /// <summary>One connection's record of how its client met the window.</summary>
    public struct History
    {
        /// <summary>Waits in a row whose window passed without a byte, up to the cap.</summary>
        public int Misses;

        /// <summary>Waits left to skip before the next watch.</summary>
        public int Skips;
    }
}
