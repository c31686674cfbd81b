using Amazon.Runtime;
using Amazon.S3;

namespace Kumo.Clients;

/// <summary>
/// An <see cref="AmazonS3Client"/> whose uploads are always plain bodies, never <c>aws-chunked</c>.
/// </summary>
/// <remarks>
/// kumo (v0.32.0) stores an aws-chunked body as it arrives, chunk headers and signatures included, so
/// an upload that "works" against kumo silently corrupts the object. This client adds one pipeline
/// handler that sets <c>UseChunkEncoding = false</c> on every <c>PutObject</c>/<c>UploadPart</c> (including
/// those <c>TransferUtility</c> makes) and buffers non-seekable bodies, which the SDK would otherwise
/// chunk regardless. Combine it with <see cref="KumoClientDefaults.Apply(AmazonS3Config)"/>.
/// </remarks>
/// <example>
/// <code>
/// var config = KumoClientDefaults.Apply(new AmazonS3Config { ServiceURL = "http://127.0.0.1:4566" });
/// using var s3 = new KumoS3Client(KumoClientDefaults.Credentials, config);
/// </code>
/// </example>
public class KumoS3Client : AmazonS3Client
{
    /// <summary>Creates the client.</summary>
    /// <param name="credentials">The credentials to sign with; use <see cref="KumoClientDefaults.Credentials"/> for kumo.</param>
    /// <param name="config">The client configuration (endpoint, region, checksum settings).</param>
    public KumoS3Client(AWSCredentials credentials, AmazonS3Config config)
        : this(credentials, config, [])
    {
    }

    /// <summary>Creates the client with extra pipeline handlers, added outside the plain-body handler in order.</summary>
    /// <param name="credentials">The credentials to sign with; use <see cref="KumoClientDefaults.Credentials"/> for kumo.</param>
    /// <param name="config">The client configuration (endpoint, region, checksum settings).</param>
    /// <param name="handlers">The extra handlers (e.g. tracing).</param>
    public KumoS3Client(AWSCredentials credentials, AmazonS3Config config, IReadOnlyList<IPipelineHandler> handlers)
        : base(credentials, config)
    {
        ArgumentNullException.ThrowIfNull(handlers);

        // AddHandler puts the handler at the outer end of the pipeline: it runs before the marshaller,
        // once per operation (outside the retry handler).
        RuntimePipeline.AddHandler(new PlainBodyHandler());
        foreach (IPipelineHandler handler in handlers)
        {
            RuntimePipeline.AddHandler(handler);
        }
    }
}
