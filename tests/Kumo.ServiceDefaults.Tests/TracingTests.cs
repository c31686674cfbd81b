using System.Collections.Concurrent;
using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.SQS;
using Kumo.Embedded.Tests;
using Kumo.ServiceDefaults.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kumo.ServiceDefaults.Tests;

/// <summary>Each AWS operation is one client span, with the SDK's HTTP request beneath it.</summary>
public sealed class TracingTests
{
    private static readonly ActivitySource TestSource = new("Kumo.ServiceDefaults.Tests");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Operations_are_client_spans_with_rpc_attributes_and_the_HTTP_request_as_child()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        using IHost host = WiredHost.Build(WiredHost.ConnectionString(engine.Endpoint));
        using var recorder = new SpanRecorder();
        string bucket = Names.Unique("trace");

        using (Activity root = TestSource.StartActivity("test-root")!)
        {
            recorder.TraceId = root.TraceId;
            await host.Services.GetRequiredService<IAmazonS3>().PutBucketAsync(bucket, Ct);
            await host.Services.GetRequiredService<IAmazonS3>().PutObjectAsync(new() { BucketName = bucket, Key = "k", ContentBody = "v" }, Ct);
            await host.Services.GetRequiredService<IAmazonSQS>().CreateQueueAsync(Names.Unique("trace"), Ct);
            await host.Services.GetRequiredService<IAmazonDynamoDB>().ListTablesAsync(new Amazon.DynamoDBv2.Model.ListTablesRequest(), Ct);
        }

        Activity put = recorder.Single("S3.PutObject");
        Assert.Equal(ActivityKind.Client, put.Kind);
        Assert.Equal(ActivityStatusCode.Ok, put.Status);
        Assert.Equal("aws-api", put.GetTagItem("rpc.system"));
        Assert.Equal("S3", put.GetTagItem("rpc.service"));
        Assert.Equal("PutObject", put.GetTagItem("rpc.method"));
        Assert.Equal(engine.Endpoint.Port, put.GetTagItem("server.port"));
        Assert.False(string.IsNullOrEmpty(put.GetTagItem("aws.request_id") as string), "the engine's request id is recorded");
        Assert.Equal("SQS", recorder.Single("SQS.CreateQueue").GetTagItem("rpc.service"));
        Assert.Equal("DynamoDB", recorder.Single("DynamoDB.ListTables").GetTagItem("rpc.service"));
        recorder.Single("S3.PutBucket");
        Assert.Contains(recorder.Spans, span => span.Source.Name == "System.Net.Http" && span.ParentSpanId == put.SpanId);
    }

    [Fact]
    public async Task A_failed_operation_is_an_error_span_with_the_AWS_error_code()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        using IHost host = WiredHost.Build(WiredHost.ConnectionString(engine.Endpoint));
        using var recorder = new SpanRecorder();
        string bucket = Names.Unique("trace");
        await engine.S3.PutBucketAsync(bucket, Ct);

        using (Activity root = TestSource.StartActivity("test-root")!)
        {
            recorder.TraceId = root.TraceId;
            await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => host.Services.GetRequiredService<IAmazonS3>().GetObjectAsync(bucket, "missing", Ct));
        }

        Activity get = recorder.Single("S3.GetObject");
        Assert.Equal(ActivityStatusCode.Error, get.Status);
        Assert.Equal("NoSuchKey", get.GetTagItem("aws.error_code"));
        Assert.Equal(404, get.GetTagItem("http.response.status_code"));
    }

    [Fact]
    public async Task Disabled_tracing_emits_no_operation_spans()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        using IHost host = WiredHost.Build(WiredHost.ConnectionString(engine.Endpoint), configure: o => o.DisableTracing = true);
        using var recorder = new SpanRecorder();

        using (Activity root = TestSource.StartActivity("test-root")!)
        {
            recorder.TraceId = root.TraceId;
            await host.Services.GetRequiredService<IAmazonS3>().ListBucketsAsync(Ct);
        }

        Assert.DoesNotContain(recorder.Spans, span => span.Source.Name == KumoAwsTelemetry.ActivitySourceName);
        Assert.Contains(recorder.Spans, span => span.Source.Name == "System.Net.Http");
    }

    /// <summary>Records the stopped spans of one trace (parallel tests run other traces).</summary>
    private sealed class SpanRecorder : IDisposable
    {
        private readonly ActivityListener _listener;
        private readonly ConcurrentQueue<Activity> _spans = new();

        public SpanRecorder()
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name is KumoAwsTelemetry.ActivitySourceName or "System.Net.Http" or "Kumo.ServiceDefaults.Tests",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = activity =>
                {
                    if (activity.TraceId == TraceId)
                    {
                        _spans.Enqueue(activity);
                    }
                },
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public ActivityTraceId TraceId { get; set; }

        public IReadOnlyList<Activity> Spans => [.. _spans];

        public Activity Single(string name) =>
            Assert.Single(Spans, span => span.Source.Name == KumoAwsTelemetry.ActivitySourceName && span.DisplayName == name);

        public void Dispose() => _listener.Dispose();
    }
}
