namespace Kumo.Embedded.S3;

/// <summary>An object body as the protocol layer hands it over: the decoded content and the digests it must match.</summary>
/// <param name="content">The decoded body (aws-chunked framing already removed).</param>
/// <param name="length">The announced decoded length, when known.</param>
/// <param name="contentMd5">The <c>Content-MD5</c> the client sent (base64), if any.</param>
/// <param name="cancellationToken">The request's abort token.</param>
internal abstract class S3Body(Stream content, long? length, string? contentMd5, CancellationToken cancellationToken)
{
    public Stream Content { get; } = content;

    public long? Length { get; } = length;

    public string? ContentMd5 { get; } = contentMd5;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>The <c>x-amz-checksum-*</c> algorithm and value, header or trailer; asked once the body is read.</summary>
    public abstract (string? Algorithm, string? Value) Checksum();

    /// <summary>Tells the protocol the body has been consumed (the connection can be reused after an error).</summary>
    public abstract void MarkRead();
}
