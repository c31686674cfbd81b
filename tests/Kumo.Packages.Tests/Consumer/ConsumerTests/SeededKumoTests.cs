using Amazon.S3.Model;
using Amazon.SQS.Model;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Kumo.Aspire.Hosting.Testing;
using Xunit;

namespace ConsumerTests;

public sealed class SeededKumoTests
{
    [Fact]
    public async Task The_packaged_engine_serves_what_the_AppHost_seeded()
    {
        if (KumoTestPrerequisites.FindProblem(typeof(Projects.ConsumerAppHost).Assembly, needsContainerRuntime: false) is { } reason)
        {
            Console.WriteLine($"KUMO_CONSUMER_SKIPPED: {reason}");
            Assert.Skip(reason);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        CancellationToken ct = timeout.Token;

        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.ConsumerAppHost>(ct);
        await using var app = await appHost.BuildAsync(ct);
        await app.StartAsync(ct);
        await app.WaitForKumoSeededAsync("kumo", ct);

        using var s3 = app.CreateKumoS3Client("kumo");
        using GetObjectResponse got = await s3.GetObjectAsync("consumer-bucket", "hello.txt", ct);
        Assert.Equal("hello from the packages", await new StreamReader(got.ResponseStream).ReadToEndAsync(ct));

        using var sqs = app.CreateKumoSqsClient("kumo");
        string queueUrl = (await sqs.GetQueueUrlAsync("consumer-jobs", ct)).QueueUrl;
        ReceiveMessageResponse received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 5 }, ct);
        Assert.Equal("job-1", Assert.Single(received.Messages).Body);
        Console.WriteLine("KUMO_CONSUMER_ASSERTED: object and message served by the packaged engine");
    }
}
