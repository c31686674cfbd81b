using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml;
using Kumo.Contract;
using Kumo.Engines;

namespace Kumo.DurabilityProbe;

/// <summary>
/// Kills a real engine process with SIGKILL during sustained writes, restarts it on the same data
/// directory, and checks that everything acknowledged more than <see cref="KillProbeOptions.Window"/>
/// before the kill is there: two writers PUT 0–64 KiB objects (every fifth step deletes an earlier
/// key), one worker sends, receives and deletes SQS messages.
/// </summary>
/// <remarks>
/// Requests go over raw HTTP (S3 REST, SQS JSON 1.0) to keep the client's cost low on a small
/// machine. Every key is written once and deleted at most once, so each check is exact: an object
/// whose PUT was acknowledged before the cutoff and that no delete was sent for must be listed with
/// its ETag; one whose delete was acknowledged before the cutoff must be gone; likewise for messages.
/// After each check the model is reset to what the engine holds, and the queue is purged.
/// </remarks>
internal static class KillProbe
{
    private const string Bucket = "durability";
    private const string Queue = "durability";
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    public static async Task<IReadOnlyList<KillRound>> RunAsync(KillProbeOptions options, Action<string> log, CancellationToken cancellationToken)
    {
        var random = new Random(options.Seed);
        var objects = new ConcurrentDictionary<string, Tracked>(StringComparer.Ordinal);
        var rounds = new List<KillRound>();
        // The preload runs in flush mode (fast whatever the mode under test) and ends with a clean stop.
        long preloadStarted = Stopwatch.GetTimestamp();
        await using (RunningEngine loader = await StartAsync(options with { Durability = "flush" }, cancellationToken).ConfigureAwait(false))
        {
            using HttpClient setup = NewClient(loader.Endpoint);
            await CheckAsync(setup.PutAsync($"/{Bucket}", null, cancellationToken), HttpStatusCode.OK).ConfigureAwait(false);
            await SqsAsync(setup, "CreateQueue", $"{{\"QueueName\":\"{Queue}\"}}", cancellationToken).ConfigureAwait(false);
            await PreloadAsync(setup, options.PreloadObjects, objects, cancellationToken).ConfigureAwait(false);
            await loader.StopAsync(TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false);
        }

        log(FormattableString.Invariant($"preloaded {objects.Count} objects in {Stopwatch.GetElapsedTime(preloadStarted).TotalSeconds:0.0} s"));
        RunningEngine engine = await StartAsync(options, cancellationToken).ConfigureAwait(false);
        try
        {
            for (int round = 1; round <= options.Kills; round++)
            {
                TimeSpan run = options.MinRun + ((options.MaxRun - options.MinRun) * random.NextDouble());
                var messages = new ConcurrentDictionary<string, Tracked>(StringComparer.Ordinal);
                var workload = new Workload(engine.Endpoint, objects, messages, options.MaxObjectBytes, options.Seed + round, round);
                Task writers = workload.RunAsync();
                await Task.Delay(run, cancellationToken).ConfigureAwait(false);
                long killedAt = Stopwatch.GetTimestamp();
                engine.Kill();
                await engine.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                await workload.StopAsync(writers).ConfigureAwait(false);
                await engine.DisposeAsync().ConfigureAwait(false);

                long restartStarted = Stopwatch.GetTimestamp();
                engine = await StartAsync(options, cancellationToken).ConfigureAwait(false);
                double restart = Stopwatch.GetElapsedTime(restartStarted).TotalSeconds;
                long cutoff = killedAt - (long)(options.Window.TotalSeconds * Stopwatch.Frequency);
                using HttpClient client = NewClient(engine.Endpoint);
                KillRound result = await VerifyAsync(client, round, Stopwatch.GetElapsedTime(killedAt - (long)(run.TotalSeconds * Stopwatch.Frequency), killedAt).TotalSeconds, objects, messages, workload, killedAt, cutoff, restart, cancellationToken).ConfigureAwait(false);
                rounds.Add(result);
                log(result.ToString());
            }
        }
        finally
        {
            await engine.DisposeAsync().ConfigureAwait(false);
        }

        return rounds;
    }

    private static Task<RunningEngine> StartAsync(KillProbeOptions options, CancellationToken cancellationToken) =>
        EngineProcess.StartAsync(
            EngineDefinition.Embedded(options.EnginePath),
            new EngineStartOptions
            {
                DataDir = options.DataDir,
                LogLevel = KumoLogLevel.Info,
                HealthTimeout = TimeSpan.FromSeconds(60),
                Environment = new Dictionary<string, string?>
                {
                    ["KUMO_DURABILITY"] = options.Durability,
                    ["KUMO_PERSIST_FLUSH_INTERVAL_MS"] = ((long)options.FlushInterval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
                },
            },
            cancellationToken);

    private static HttpClient NewClient(Uri endpoint) => new(new SocketsHttpHandler { MaxConnectionsPerServer = 16, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        BaseAddress = endpoint,
        Timeout = RequestTimeout,
    };

    private static async Task PreloadAsync(HttpClient client, int count, ConcurrentDictionary<string, Tracked> objects, CancellationToken cancellationToken)
    {
        int next = -1;
        async Task WriterAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                string key = string.Create(CultureInfo.InvariantCulture, $"pre/{i:D6}");
                using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(key + new string('p', i % 200)));
                using HttpResponseMessage response = await client.PutAsync($"/{Bucket}/{key}", content, cancellationToken).ConfigureAwait(false);
                await CheckAsync(Task.FromResult(response), HttpStatusCode.OK, dispose: false).ConfigureAwait(false);
                objects[key] = Tracked.Durable(response.Headers.ETag!.Tag);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => WriterAsync())).ConfigureAwait(false);
    }

    private static async Task<KillRound> VerifyAsync(HttpClient client, int round, double runSeconds, ConcurrentDictionary<string, Tracked> objects, ConcurrentDictionary<string, Tracked> messages, Workload workload, long killedAt, long cutoff, double restart, CancellationToken cancellationToken)
    {
        Dictionary<string, string> listed = await ListAsync(client, cancellationToken).ConfigureAwait(false);
        HashSet<string> queued = await DrainAsync(client, cancellationToken).ConfigureAwait(false);
        int lostPuts = 0, undoneDeletes = 0, lostSends = 0, undoneMessageDeletes = 0;
        long oldestLoss = long.MaxValue;
        var examples = new List<string>();
        void Lost(long acknowledged, ref int counter, string what)
        {
            counter++;
            oldestLoss = Math.Min(oldestLoss, acknowledged);
            if (examples.Count < 5)
            {
                examples.Add(what);
            }
        }

        foreach ((string key, Tracked tracked) in objects)
        {
            if (tracked.DeleteAcknowledged is { } deleted && deleted <= cutoff)
            {
                if (listed.ContainsKey(key))
                {
                    Lost(deleted, ref undoneDeletes, "object delete undone: " + key);
                }
            }
            else if (tracked.Acknowledged is { } put && put <= cutoff && tracked.DeleteSent is null
                && (!listed.TryGetValue(key, out string? etag) || etag != tracked.ETag))
            {
                Lost(put, ref lostPuts, "PUT lost: " + key);
            }
        }

        foreach ((string body, Tracked tracked) in messages)
        {
            if (tracked.DeleteAcknowledged is { } deleted && deleted <= cutoff)
            {
                if (queued.Contains(body))
                {
                    Lost(deleted, ref undoneMessageDeletes, "message delete undone: " + body);
                }
            }
            else if (tracked.Acknowledged is { } sent && sent <= cutoff && tracked.DeleteSent is null && !queued.Contains(body))
            {
                Lost(sent, ref lostSends, "send lost: " + body);
            }
        }

        // The next round starts from what the engine holds now.
        objects.Clear();
        foreach ((string key, string etag) in listed)
        {
            objects[key] = Tracked.Durable(etag);
        }

        await SqsAsync(client, "PurgeQueue", $"{{\"QueueUrl\":\"{QueueUrl(client)}\"}}", cancellationToken).ConfigureAwait(false);
        return new KillRound(
            round,
            runSeconds,
            listed.Count,
            workload.AckedPuts,
            workload.AckedObjectDeletes,
            workload.AckedSends,
            workload.AckedMessageDeletes,
            lostPuts,
            undoneDeletes,
            lostSends,
            undoneMessageDeletes,
            oldestLoss == long.MaxValue ? 0 : Stopwatch.GetElapsedTime(oldestLoss, killedAt).TotalSeconds,
            restart)
        {
            Examples = examples,
        };
    }

    private static async Task<Dictionary<string, string>> ListAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var listed = new Dictionary<string, string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            string url = $"/{Bucket}?list-type=2" + (token is null ? string.Empty : "&continuation-token=" + Uri.EscapeDataString(token));
            using HttpResponseMessage response = await client.GetAsync(url, cancellationToken).ConfigureAwait(false);
            await CheckAsync(Task.FromResult(response), HttpStatusCode.OK, dispose: false).ConfigureAwait(false);
            using var reader = XmlReader.Create(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
            token = null;
            string? key = null;
            while (reader.Read())
            {
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                switch (reader.LocalName)
                {
                    case "Key":
                        key = reader.ReadElementContentAsString();
                        break;
                    case "ETag":
                        listed[key!] = reader.ReadElementContentAsString();
                        break;
                    case "NextContinuationToken":
                        token = reader.ReadElementContentAsString();
                        break;
                }
            }
        }
        while (token is not null);
        return listed;
    }

    /// <summary>Receives every message (a long visibility timeout keeps each one out of later receives).</summary>
    private static async Task<HashSet<string>> DrainAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var bodies = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            JsonElement result = await SqsAsync(client, "ReceiveMessage", $"{{\"QueueUrl\":\"{QueueUrl(client)}\",\"MaxNumberOfMessages\":10,\"VisibilityTimeout\":3600,\"WaitTimeSeconds\":0}}", cancellationToken).ConfigureAwait(false);
            if (!result.TryGetProperty("Messages", out JsonElement received) || received.GetArrayLength() == 0)
            {
                return bodies;
            }

            foreach (JsonElement message in received.EnumerateArray())
            {
                bodies.Add(message.GetProperty("Body").GetString()!);
            }
        }
    }

    internal static string QueueUrl(HttpClient client) => new Uri(client.BaseAddress!, "/000000000000/" + Queue).ToString();

    internal static async Task<JsonElement> SqsAsync(HttpClient client, string action, string json, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/") { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-amz-json-1.0");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "AmazonSQS." + action);
        using HttpResponseMessage response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"SQS {action} answered {(int)response.StatusCode}: {text}");
        }

        using JsonDocument document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    internal static async Task CheckAsync(Task<HttpResponseMessage> call, HttpStatusCode expected, bool dispose = true)
    {
        HttpResponseMessage response = await call.ConfigureAwait(false);
        try
        {
            if (response.StatusCode != expected)
            {
                throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}, expected {(int)expected}: {await response.Content.ReadAsStringAsync().ConfigureAwait(false)}");
            }
        }
        finally
        {
            if (dispose)
            {
                response.Dispose();
            }
        }
    }
}
