using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Kumo.Embedded.Server;

namespace Kumo.Embedded.Tests.Server;

/// <summary>
/// <see cref="ReceiveSpin"/> on a real loopback connection: when it watches, when it stops, and how a client that misses
/// its window is watched less often.
/// </summary>
public sealed class ReceiveSpinTests : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(2);
    private readonly Socket _server;
    private readonly Socket _client;

    public ReceiveSpinTests()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _client.Connect(listener.LocalEndPoint!);
        _server = listener.Accept();
    }

    public void Dispose()
    {
        _client.Dispose();
        _server.Dispose();
    }

    // A watch with this window among `connections` open connections, none of them blocked.
    private static ReceiveSpin Spin(TimeSpan window, int connections = 1)
    {
        var spin = new ReceiveSpin(window);
        for (int i = 0; i < connections; i++)
        {
            spin.Opened();
        }

        return spin;
    }

    // How long one wait for the server socket took.
    private TimeSpan Watch(ReceiveSpin spin, ref ReceiveSpin.History history)
    {
        var watched = Stopwatch.StartNew();
        spin.Wait(_server, ref history);
        return watched.Elapsed;
    }

    [Fact]
    public void A_client_that_missed_the_window_is_watched_again_only_after_1_then_3_skipped_waits()
    {
        ReceiveSpin spin = Spin(Window);
        var history = default(ReceiveSpin.History);

        TimeSpan watched = Watch(spin, ref history);
        Assert.True(watched >= Window, $"the watch ended after {watched.TotalMilliseconds} ms, before its {Window.TotalMilliseconds} ms window");
        Assert.Equal(1, history.Misses);
        Assert.Equal(1, history.Skips);

        spin.Wait(_server, ref history);
        Assert.Equal(0, history.Skips);
        Assert.Equal(1, history.Misses);

        spin.Wait(_server, ref history);
        Assert.Equal(2, history.Misses);
        Assert.Equal(3, history.Skips);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Bytes_waiting_or_arriving_end_the_watch_and_clear_the_misses(bool beforeTheWatch)
    {
        var history = new ReceiveSpin.History { Misses = 4 };
        using var sender = new Timer(_ => _client.Send("x"u8), null, beforeTheWatch ? TimeSpan.Zero : TimeSpan.FromMilliseconds(20), Timeout.InfiniteTimeSpan);
        if (beforeTheWatch)
        {
            Assert.True(_server.Poll(TimeSpan.FromSeconds(10), SelectMode.SelectRead), "the client's byte did not reach the server socket within 10 s");
        }

        TimeSpan watched = Watch(Spin(TimeSpan.FromSeconds(10)), ref history);

        Assert.True(watched < TimeSpan.FromSeconds(5), $"the watch took {watched.TotalSeconds} s of its 10 s window although a byte was there");
        Assert.Equal(1, _server.Available);
        Assert.Equal(0, history.Misses);
        Assert.Equal(0, history.Skips);
    }

    [Fact]
    public void Another_connection_whose_thread_runs_means_no_watch_at_all()
    {
        var history = default(ReceiveSpin.History);

        TimeSpan watched = Watch(Spin(TimeSpan.FromSeconds(10), connections: 2), ref history);

        Assert.True(watched < TimeSpan.FromSeconds(5), $"the watch took {watched.TotalSeconds} s while another connection ran");
        Assert.Equal(0, history.Misses);

        // Once that thread blocks for its client, this connection is the only one running and watches again.
        ReceiveSpin spin = Spin(Window, connections: 2);
        spin.Blocking();
        watched = Watch(spin, ref history);
        Assert.True(watched >= Window, $"the watch ended after {watched.TotalMilliseconds} ms, before its window, with the other thread blocked");
        Assert.Equal(1, history.Misses);
    }

    [Fact]
    public void A_zero_window_never_watches()
    {
        var history = default(ReceiveSpin.History);

        Watch(Spin(TimeSpan.Zero), ref history);

        Assert.Equal(0, history.Misses);
        Assert.Equal(0, history.Skips);
    }
}
