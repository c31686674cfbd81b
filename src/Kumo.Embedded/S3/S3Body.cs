namespace Kumo.Embedded.S3;

/// <summary>An object body as the protocol layer hands it over: the decoded content and the digests it must match.</summary>
/// <param name="Content">The decoded body (aws-chunked framing already removed).</param>
/// <param name="Length">The announced decoded length, when known.</param>
/// <param name="ContentMd5">The <c>Content-MD5</c> the client sent (base64), if any.</param>
/// <param name="Checksum">The <c>x-amz-checksum-*</c> algorithm and value, header or trailer; asked once the body is read.</param>
/// <param name="MarkRead">Tells the protocol the body has been consumed (the connection can be reused after an error).</param>
/// <param name="CancellationToken">The request's abort token.</param>
internal sealed record S3Body(Stream Content, long? Length, string? ContentMd5, Func<(string? Algorithm, string? Value)> Checksum, Action MarkRead, CancellationToken CancellationToken);
