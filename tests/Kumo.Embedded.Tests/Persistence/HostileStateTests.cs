using System.Text;
using Amazon.S3;
using Amazon.SQS;
using Amazon.SQS.Model;
using Kumo.Contract;
using Kumo.Engines;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kumo.Embedded.Tests.Persistence;

/// <summary>
/// Loading is total: every hostile state file is quarantined with a log line naming the file and the
/// field (the service starts empty, the other keeps its state), or refused with that message when
/// KUMO_CORRUPT_STATE=refuse. A torn journal tail is not corruption: the records before it are kept.
/// </summary>
public sealed class HostileStateTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A data directory holding <paramref name="file"/>: JSON as UTF-8, a journal segment as the bytes its Latin-1 text stands for.</summary>
    private static string Prepare(string file, string content)
    {
        string dataDir = TestEngine.NewDataDir();
        Encoding encoding = file.EndsWith(".json", StringComparison.Ordinal) ? Encoding.UTF8 : Encoding.Latin1;
        File.WriteAllBytes(Path.Combine(dataDir, file), encoding.GetBytes(content));
        return dataDir;
    }

    [Theory]
    [MemberData(nameof(HostileStateCorpus.Documents), MemberType = typeof(HostileStateCorpus))]
    public async Task A_hostile_file_is_quarantined_the_log_names_file_and_field_and_the_engine_serves(string file, string content, string field)
    {
        string dataDir = Prepare(file, content);
        string service = file.StartsWith("s3", StringComparison.Ordinal) ? "s3" : file.StartsWith("sqs", StringComparison.Ordinal) ? "sqs" : "dynamodb";

        await using (KumoEngine engine = await KumoEngine.StartAsync(new KumoEngineOptions { Port = 0, DataDir = dataDir, LogLevel = KumoLogLevel.Warn }, NullLoggerProvider.Instance, Ct))
        {
            string line = Assert.Single(engine.RecentLog, l => l.Contains($"Could not load {service} state", StringComparison.Ordinal));
            Assert.Contains(file, line, StringComparison.Ordinal);
            Assert.Contains(field, line, StringComparison.Ordinal);
            Assert.Single(Directory.GetFiles(dataDir, file + ".corrupt-*"));
            using var s3 = new AmazonS3Client(TestEngine.Credentials, TestEngine.S3Config(engine.Endpoint));
            using var sqs = new AmazonSQSClient(TestEngine.Credentials, TestEngine.SqsConfig(engine.Endpoint));
            Assert.Empty((await s3.ListBucketsAsync(Ct)).Buckets ?? []);
            Assert.Empty((await sqs.ListQueuesAsync(new ListQueuesRequest(), Ct)).QueueUrls ?? []);
            await s3.PutBucketAsync("after", Ct);
        }

        // The next start finds a healthy state: what was written after the quarantine.
        await using KumoEngine again = await KumoEngine.StartAsync(new KumoEngineOptions { Port = 0, DataDir = dataDir, LogLevel = KumoLogLevel.Warn }, NullLoggerProvider.Instance, Ct);
        Assert.DoesNotContain(again.RecentLog, l => l.Contains("Could not load", StringComparison.Ordinal));
        using var client = new AmazonS3Client(TestEngine.Credentials, TestEngine.S3Config(again.Endpoint));
        Assert.Equal("after", Assert.Single((await client.ListBucketsAsync(Ct)).Buckets).BucketName);
    }

    [Theory]
    [MemberData(nameof(HostileStateCorpus.Documents), MemberType = typeof(HostileStateCorpus))]
    public async Task With_refuse_the_start_fails_naming_file_field_and_fix_and_nothing_moves(string file, string content, string field)
    {
        string dataDir = Prepare(file, content);

        KumoStateException error = await Assert.ThrowsAsync<KumoStateException>(() => KumoEngine.StartAsync(new KumoEngineOptions { Port = 0, DataDir = dataDir, RefuseCorruptState = true }, NullLoggerProvider.Instance, Ct));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Contains(field, StringComparison.Ordinal), $"'{field}' not named in: {error.Message}");
        Assert.Contains("KUMO_CORRUPT_STATE=quarantine", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dataDir, file)));
        Assert.Empty(Directory.GetFiles(dataDir, "*.corrupt-*"));
    }

    [Fact]
    public async Task The_engine_process_refuses_with_exit_5_and_one_line_and_never_aborts()
    {
        string dataDir = Prepare("s3.json", """{"format":2,"buckets":null}""");

        EngineStartException error = await Assert.ThrowsAsync<EngineStartException>(() => EngineProcess.StartAsync(
            EngineDefinition.Embedded(Path.Combine(AppContext.BaseDirectory, "kumo-embedded.dll")),
            new EngineStartOptions { DataDir = dataDir, Environment = new Dictionary<string, string?> { ["KUMO_CORRUPT_STATE"] = "refuse" } },
            Ct));

        Assert.Equal(5, error.ExitCode);
        string refusal = Assert.Single(error.LogTail, l => l.Contains("kumo-embedded: Cannot load s3 state", StringComparison.Ordinal));
        Assert.Contains("s3.json", refusal, StringComparison.Ordinal);
        Assert.Contains("buckets", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain(error.LogTail, l => l.Contains("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_torn_journal_tail_keeps_the_records_before_it()
    {
        string complete = HostileStateCorpus.Framed("""{"op":"bucket","bucket":"kept","region":"us-east-1"}""", """{"op":"bucket","bucket":"torn","region":"us-east-1"}""");
        int cut = Encoding.Latin1.GetByteCount(HostileStateCorpus.Framed("""{"op":"bucket","bucket":"kept","region":"us-east-1"}""")) + 11;
        string dataDir = Prepare("s3-journal-0000000001", complete[..cut]);

        await using KumoEngine engine = await KumoEngine.StartAsync(new KumoEngineOptions { Port = 0, DataDir = dataDir, LogLevel = KumoLogLevel.Warn }, NullLoggerProvider.Instance, Ct);

        using var s3 = new AmazonS3Client(TestEngine.Credentials, TestEngine.S3Config(engine.Endpoint));
        Assert.Equal("kept", Assert.Single((await s3.ListBucketsAsync(Ct)).Buckets).BucketName);
        Assert.Contains(engine.RecentLog, l => l.Contains("cut short", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFiles(dataDir, "*.corrupt-*"));
    }
}
