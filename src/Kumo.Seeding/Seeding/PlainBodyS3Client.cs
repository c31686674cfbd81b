using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.S3;
using Amazon.S3.Model;

namespace Kumo.Seeding;

/// <summary>An S3 client whose pipeline turns off aws-chunked encoding on every upload request.</summary>
internal sealed class PlainBodyS3Client(AWSCredentials credentials, AmazonS3Config config) : AmazonS3Client(credentials, config)
{
    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        base.CustomizeRuntimePipeline(pipeline);
        pipeline.AddHandlerBefore<Marshaller>(new PlainBodyHandler());
    }

    /// <summary>Sets <c>UseChunkEncoding = false</c> before the request is marshalled.</summary>
    private sealed class PlainBodyHandler : PipelineHandler
    {
        public override void InvokeSync(IExecutionContext executionContext)
        {
            Apply(executionContext);
            base.InvokeSync(executionContext);
        }

        public override Task<T> InvokeAsync<T>(IExecutionContext executionContext)
        {
            Apply(executionContext);
            return base.InvokeAsync<T>(executionContext);
        }

        private static void Apply(IExecutionContext executionContext)
        {
            switch (executionContext.RequestContext.OriginalRequest)
            {
                case PutObjectRequest put:
                    put.UseChunkEncoding = false;
                    break;
                case UploadPartRequest part:
                    part.UseChunkEncoding = false;
                    break;
            }
        }
    }
}
