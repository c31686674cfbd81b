namespace Kumo.Embedded.S3;

/// <summary>A request's conditional headers (for a copy, the <c>x-amz-copy-source-if-*</c> ones).</summary>
internal sealed record S3Conditions(string? IfMatch, string? IfNoneMatch, DateTimeOffset? IfModifiedSince, DateTimeOffset? IfUnmodifiedSince)
{
    public static S3Conditions None { get; } = new(null, null, null, null);
}
