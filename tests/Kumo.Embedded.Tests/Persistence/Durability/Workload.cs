using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Kumo.DurabilityProbe;

/// <summary>The writes of one kill round: two S3 writers and one SQS worker, recording every acknowledgement until the engine dies.</summary>
internal sealed class Workload
{
    private readonly Uri _endpoint;
    private readonly ConcurrentDictionary<string, Tracked> _objects;
    private readonly ConcurrentDictionary<string, Tracked> _messages;
    private readonly int _maxObjectBytes;
    private readonly int _seed;
    private readonly int _round;
    private readonly CancellationTokenSource _stop = new();
    private int _ackedPuts;
    private int _ackedObjectDeletes;
    private int _ackedSends;
    private int _ackedMessageDeletes;

    public Workload(Uri endpoint, ConcurrentDictionary<string, Tracked> objects, ConcurrentDictionary<string, Tracked> messages, int maxObjectBytes, int seed, int round)
    {
        _endpoint = endpoint;
        _objects = objects;
        _messages = messages;
        _maxObjectBytes = maxObjectBytes;
        _seed = seed;
        _round = round;
    }

    public int AckedPuts => _ackedPuts;

    public int AckedObjectDeletes => _ackedObjectDeletes;

    public int AckedSends => _ackedSends;

    public int AckedMessageDeletes => _ackedMessageDeletes;

    public Task RunAsync() => Task.WhenAll(Task.Run(() => WriteObjectsAsync(0)), Task.Run(() => WriteObjectsAsync(1)), Task.Run(MessagesAsync));

    /// <summary>Stops the workers (the engine is dead: their requests fail) and waits for them.</summary>
    public async Task StopAsync(Task running)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await running.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException or InvalidOperationException)
        {
            // A request cut by the kill: never acknowledged, so never required.
        }

        _stop.Dispose();
    }

    private async Task WriteObjectsAsync(int writer)
    {
        var random = new Random(_seed * 31 + writer);
        byte[] noise = new byte[_maxObjectBytes + 64];
        random.NextBytes(noise);
        var mine = new List<string>();
        using var client = new HttpClient { BaseAddress = _endpoint, Timeout = TimeSpan.FromSeconds(30) };
        for (int step = 0; !_stop.IsCancellationRequested; step++)
        {
            if (step % 5 == 4 && mine.Count > 0)
            {
                int pick = random.Next(mine.Count);
                string victim = mine[pick];
                mine.RemoveAt(pick);
                Tracked tracked = _objects[victim];
                tracked.DeleteSent = Stopwatch.GetTimestamp();
                using HttpResponseMessage deleted = await client.DeleteAsync($"/durability/{victim}", _stop.Token).ConfigureAwait(false);
                if (deleted.StatusCode == HttpStatusCode.NoContent)
                {
                    tracked.DeleteAcknowledged = Stopwatch.GetTimestamp();
                    Interlocked.Increment(ref _ackedObjectDeletes);
                }

                continue;
            }

            string key = string.Create(CultureInfo.InvariantCulture, $"r{_round}/w{writer}/{step:D7}");
            int length = random.Next(_maxObjectBytes + 1);
            byte[] body = new byte[length];
            noise.AsSpan(random.Next(64), length).CopyTo(body);
            System.Text.Encoding.ASCII.GetBytes(key.AsSpan(0, Math.Min(key.Length, length)), body);
            using var content = new ByteArrayContent(body);
            using HttpResponseMessage put = await client.PutAsync($"/durability/{key}", content, _stop.Token).ConfigureAwait(false);
            if (put.StatusCode == HttpStatusCode.OK)
            {
                _objects[key] = new Tracked { ETag = put.Headers.ETag!.Tag, Acknowledged = Stopwatch.GetTimestamp() };
                mine.Add(key);
                Interlocked.Increment(ref _ackedPuts);
            }
        }
    }

    private async Task MessagesAsync()
    {
        using var client = new HttpClient { BaseAddress = _endpoint, Timeout = TimeSpan.FromSeconds(30) };
        string queueUrl = KillProbe.QueueUrl(client);
        for (int step = 0; !_stop.IsCancellationRequested; step++)
        {
            string body = string.Create(CultureInfo.InvariantCulture, $"r{_round}-m{step:D7}");
            await KillProbe.SqsAsync(client, "SendMessage", $"{{\"QueueUrl\":\"{queueUrl}\",\"MessageBody\":\"{body}\"}}", _stop.Token).ConfigureAwait(false);
            _messages[body] = new Tracked { Acknowledged = Stopwatch.GetTimestamp() };
            Interlocked.Increment(ref _ackedSends);
            if (step % 2 == 1)
            {
                continue;
            }

            JsonElement received = await KillProbe.SqsAsync(client, "ReceiveMessage", $"{{\"QueueUrl\":\"{queueUrl}\",\"MaxNumberOfMessages\":1,\"VisibilityTimeout\":60,\"WaitTimeSeconds\":0}}", _stop.Token).ConfigureAwait(false);
            if (!received.TryGetProperty("Messages", out JsonElement list) || list.GetArrayLength() == 0)
            {
                continue;
            }

            JsonElement message = list[0];
            if (!_messages.TryGetValue(message.GetProperty("Body").GetString()!, out Tracked? tracked))
            {
                continue; // a message of an earlier round, purged by its check: never expected
            }

            tracked.DeleteSent = Stopwatch.GetTimestamp();
            await KillProbe.SqsAsync(client, "DeleteMessage", $"{{\"QueueUrl\":\"{queueUrl}\",\"ReceiptHandle\":\"{message.GetProperty("ReceiptHandle").GetString()}\"}}", _stop.Token).ConfigureAwait(false);
            tracked.DeleteAcknowledged = Stopwatch.GetTimestamp();
            Interlocked.Increment(ref _ackedMessageDeletes);
        }
    }
}
