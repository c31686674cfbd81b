using System.Text;
using Amazon.S3.Model;

namespace Kumo.Embedded.Tests.Hostile;

/// <summary>
/// Every request a client can send gets a 2xx/3xx/4xx in the AWS shape, never a 5xx, and the engine
/// is healthy afterwards and after a restart on the same data directory.
/// </summary>
public sealed class NoServerErrorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Hostile_S3_and_SQS_requests_never_get_a_5xx_and_the_engine_survives_a_restart()
    {
        string dataDir = TestEngine.NewDataDir();
        List<string> failures;
        int sent;
        await using (TestEngine engine = await TestEngine.StartAsync(o => o with { DataDir = dataDir }))
        {
            await engine.S3.PutBucketAsync(HostileInputs.Bucket, Ct);
            await engine.S3.PutObjectAsync(new PutObjectRequest { BucketName = HostileInputs.Bucket, Key = HostileInputs.ExistingKey, ContentBody = "0123456789", UseChunkEncoding = false }, Ct);
            string queueUrl = (await engine.Sqs.CreateQueueAsync("hostile", Ct)).QueueUrl;
            List<HostileRequest> requests = [.. HostileInputs.S3(), .. HostileInputs.Sqs(queueUrl)];
            sent = requests.Count;

            failures = await HostileSweep.SendAsync(engine.Endpoint, requests);

            RawResponse health = await RawHttp.SendAsync(engine.Endpoint, "GET", "/health");
            Assert.Equal(200, health.Status);
            RawResponse list = await RawHttp.SendAsync(engine.Endpoint, "GET", $"/{HostileInputs.Bucket}?list-type=2");
            Assert.Equal(200, list.Status);
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} hostile requests got a 5xx or no answer:\n" + string.Join('\n', failures));
        await using TestEngine restarted = await TestEngine.StartAsync(o => o with { DataDir = dataDir });
        Assert.Equal(200, (await RawHttp.SendAsync(restarted.Endpoint, "GET", $"/{HostileInputs.Bucket}?list-type=2")).Status);
        Assert.Equal(200, (await RawHttp.SendAsync(restarted.Endpoint, "GET", $"/{HostileInputs.Bucket}")).Status);
    }
}
