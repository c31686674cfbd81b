using System.Globalization;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Kumo.Contract;
using Kumo.Embedded.Hosting;
using Kumo.Engines;
using Kumo.Testing;

namespace Kumo.Embedded.Tests.Hosting;

/// <summary>
/// The engine as its own process runs request code inline on its socket event threads
/// (<see cref="SocketScheduling"/>): these tests pin that it does, that nothing a request waits for (a long poll)
/// holds an event thread, and that the choice neither overrides a user's nor leaks into init scripts.
/// </summary>
public sealed class SocketSchedulingTests
{
    private const string SocketThreadName = ".NET Sockets";

    private static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_engine_process_serves_requests_while_long_polls_are_parked_on_every_socket_thread()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "socket threads are counted from /proc/<pid>/task, which only Linux has");
        await using RunningEngine engine = await StartAsync(userChoice: null, initDir: null);
        Assert.Equal(Environment.ProcessorCount, SocketThreads(engine.ProcessId));

        using var sqs = new AmazonSQSClient(TestEngine.Credentials, TestEngine.SqsConfig(engine.Endpoint));
        using var s3 = new AmazonS3Client(TestEngine.Credentials, TestEngine.S3Config(engine.Endpoint));
        string queueUrl = (await sqs.CreateQueueAsync("parked", Ct)).QueueUrl;
        await s3.PutBucketAsync("while-parked", Ct);

        // Concurrent long polls each take a connection of their own; connections are spread over the socket threads in
        // turn, so four per thread park polls on all of them. None may end before the wake-up below (20 s wait).
        int socketsBefore = Sockets(engine.ProcessId);
        using var stopPolls = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        int polls = 4 * Environment.ProcessorCount;
        Task<ReceiveMessageResponse>[] parked =
        [
            .. Enumerable.Range(0, polls).Select(_ => sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 20 }, stopPolls.Token)),
        ];
        await Eventually.UntilAsync(
            _ => Task.FromResult(Sockets(engine.ProcessId)),
            sockets => sockets >= socketsBefore + polls - 1,
            WaitTimeout,
            PollInterval,
            $"the engine to accept the {polls} long polls' connections (one may reuse the client's idle one; {socketsBefore} sockets before)",
            Ct);

        // Fresh connections land on every socket thread in turn; each request must finish far inside the polls' 20 s.
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        bound.CancelAfter(TimeSpan.FromSeconds(10));
        for (int i = 0; i < 2 * Environment.ProcessorCount; i++)
        {
            using var fresh = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero });
            using HttpResponseMessage health = await fresh.GetAsync(new Uri(engine.Endpoint, KumoDefaults.HealthPath), bound.Token);
            Assert.True(health.IsSuccessStatusCode, $"GET /health on fresh connection {i} answered {(int)health.StatusCode}");
        }

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = "while-parked", Key = "k", ContentBody = "served" }, bound.Token);
        using (GetObjectResponse got = await s3.GetObjectAsync("while-parked", "k", bound.Token))
        using (var reader = new StreamReader(got.ResponseStream))
        {
            Assert.Equal("served", await reader.ReadToEndAsync(bound.Token));
        }

        Assert.All(parked, p => Assert.False(p.IsCompleted, "a long poll ended before any message was sent"));

        // A message wakes one parked poll at once.
        await sqs.SendMessageAsync(queueUrl, "wake", bound.Token);
        Task<ReceiveMessageResponse> woken = await Task.WhenAny(parked).WaitAsync(bound.Token);
        Assert.Equal("wake", Assert.Single((await woken).Messages).Body);

        await stopPolls.CancelAsync();
        await Task.WhenAll(parked).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    [Fact]
    public async Task Init_scripts_do_not_inherit_the_engines_choice_and_a_users_choice_is_kept()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "socket threads are counted from /proc/<pid>/task, which only Linux has");
        string initDir = Directory.CreateTempSubdirectory("kumo-socket-scheduling-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(initDir, "probe.sh"), $"echo \"inline=${{{SocketScheduling.InlineCompletionsVariable}:-unset}}\"\n", Ct);

            await using (RunningEngine chosen = await StartAsync(userChoice: null, initDir))
            {
                Assert.Contains("inline=unset", await InitScriptLineAsync(chosen), StringComparison.Ordinal);
                Assert.Equal(Environment.ProcessorCount, SocketThreads(chosen.ProcessId));
            }

            await using RunningEngine optedOut = await StartAsync(userChoice: "0", initDir);
            Assert.Contains("inline=0", await InitScriptLineAsync(optedOut), StringComparison.Ordinal);

            // Without inline completions the runtime starts one event thread per 30 cores (x64), at least one.
            Assert.Equal(Math.Max(1, (int)Math.Round(Environment.ProcessorCount / 30.0)), SocketThreads(optedOut.ProcessId));
            using var s3 = new AmazonS3Client(TestEngine.Credentials, TestEngine.S3Config(optedOut.Endpoint));
            await s3.PutBucketAsync("opted-out", Ct);
        }
        finally
        {
            Directory.Delete(initDir, recursive: true);
        }
    }

    private static Task<RunningEngine> StartAsync(string? userChoice, string? initDir)
    {
        var environment = new Dictionary<string, string?> { [SocketScheduling.InlineCompletionsVariable] = userChoice };
        if (initDir is not null)
        {
            environment[KumoEnvironment.InitDirectory] = initDir;
        }

        return EngineProcess.StartAsync(
            EngineDefinition.Embedded(Path.Combine(AppContext.BaseDirectory, "kumo-embedded.dll")),
            new EngineStartOptions { LogLevel = KumoLogLevel.Info, Environment = environment },
            Ct);
    }

    /// <summary>The process's open sockets (listening and accepted).</summary>
    private static int Sockets(int processId) =>
        Directory.GetFiles($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/fd")
            .Count(fd => new FileInfo(fd).LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true);

    /// <summary>The process's threads named as the runtime names its socket event loops.</summary>
    private static int SocketThreads(int processId) =>
        Directory.GetDirectories($"/proc/{processId.ToString(CultureInfo.InvariantCulture)}/task")
            .Count(task => File.ReadAllText(Path.Combine(task, "comm")).Trim() == SocketThreadName);

    /// <summary>The engine's log line about the init script <c>probe.sh</c> (its output included), once it has run.</summary>
    private static async Task<string> InitScriptLineAsync(RunningEngine engine)
    {
        IReadOnlyList<string> tail = await Eventually.UntilAsync(
            _ => Task.FromResult(engine.LogTail(200)),
            lines => lines.Any(IsProbeLine),
            WaitTimeout,
            PollInterval,
            "the init script probe.sh to run",
            Ct);
        return tail.First(IsProbeLine);

        static bool IsProbeLine(string line) => line.Contains("probe.sh", StringComparison.Ordinal);
    }
}
