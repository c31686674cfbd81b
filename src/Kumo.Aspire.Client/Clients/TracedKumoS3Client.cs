using Amazon.Runtime;
using Amazon.S3;
using Kumo.ServiceDefaults.Tracing;

namespace Kumo.ServiceDefaults.Clients;

/// <summary>
/// A <see cref="Kumo.Clients.KumoS3Client"/> (plain upload bodies, never aws-chunked)
/// and, optionally, traces every operation.
/// </summary>
/// <remarks>
/// The handlers are added to this client's own pipeline, not to the process-wide
/// <c>RuntimePipelineCustomizerRegistry</c>, so other S3 clients in the process (e.g. ones talking to real AWS)
/// are unchanged.
/// </remarks>
internal sealed class TracedKumoS3Client : Kumo.Clients.KumoS3Client
{
    public TracedKumoS3Client(AWSCredentials credentials, AmazonS3Config config, bool tracing)
        : base(credentials, config)
    {
        if (tracing)
        {
            RuntimePipeline.AddHandler(new AwsOperationTracingHandler(KumoWiringNames.S3, new Uri(config.ServiceURL)));
        }
    }
}
