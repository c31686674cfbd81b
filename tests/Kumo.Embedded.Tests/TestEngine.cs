using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Kumo.Contract;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kumo.Embedded.Tests;

/// <summary>
/// An in-process engine on a free loopback port with its own data directory, plus real AWS SDK
/// clients pointed at it. Dispose to stop the engine and delete the directory.
/// </summary>
internal sealed class TestEngine : IAsyncDisposable
{
    private TestEngine(KumoEngine engine, string dataDir)
    {
        Engine = engine;
        DataDir = dataDir;
        S3 = new AmazonS3Client(Credentials, S3Config(engine.Endpoint));
        Sqs = new AmazonSQSClient(Credentials, SqsConfig(engine.Endpoint));
    }

    public static BasicAWSCredentials Credentials { get; } = new("test", "test");

    public KumoEngine Engine { get; }

    public string DataDir { get; }

    public Uri Endpoint => Engine.Endpoint;

    public AmazonS3Client S3 { get; }

    public AmazonSQSClient Sqs { get; }

    public static async Task<TestEngine> StartAsync(Func<KumoEngineOptions, KumoEngineOptions>? configure = null, bool persistent = true)
    {
        string dataDir = NewDataDir();
        var options = new KumoEngineOptions { Port = 0, DataDir = persistent ? dataDir : null, LogLevel = KumoLogLevel.Warn };
        if (configure is not null)
        {
            options = configure(options);
        }

        KumoEngine engine = await KumoEngine.StartAsync(options, NullLoggerProvider.Instance, TestContext.Current.CancellationToken);
        return new TestEngine(engine, dataDir);
    }

    public static string NewDataDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "kumo-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>kumo-safe S3 settings: path-style, plain bodies, checksums only when required.</summary>
    public static AmazonS3Config S3Config(Uri endpoint) => new()
    {
        ServiceURL = endpoint.ToString(),
        ForcePathStyle = true,
        AuthenticationRegion = "us-east-1",
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        MaxErrorRetry = 0,
    };

    public static AmazonSQSConfig SqsConfig(Uri endpoint) => new()
    {
        ServiceURL = endpoint.ToString(),
        AuthenticationRegion = "us-east-1",
        MaxErrorRetry = 0,
    };

    public async ValueTask DisposeAsync()
    {
        S3.Dispose();
        Sqs.Dispose();
        await Engine.DisposeAsync();
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
