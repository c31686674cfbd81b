namespace Kumo.Embedded.S3;

/// <summary>A request's conditional headers (for a copy, the <c>x-amz-copy-source-if-*</c> ones).</summary>
internal sealed record S3Conditions(string? IfMatch, string? IfNoneMatch, DateTimeOffset? IfModifiedSince, DateTimeOffset? IfUnmodifiedSince)
{
    public static S3Conditions None { get; } = new(null, null, null, null);

    /// <summary>Whether no condition is set (a write then needs no look at what is stored).</summary>
    public bool IsEmpty => IfMatch is null && IfNoneMatch is null && IfModifiedSince is null && IfUnmodifiedSince is null;

    /// <summary>The conditions of a write (<c>If-Match</c>, <c>If-None-Match</c>): <see cref="None"/> when neither is sent.</summary>
    public static S3Conditions ForWrite(string? ifMatch, string? ifNoneMatch) =>
        ifMatch is null && ifNoneMatch is null ? None : new(ifMatch, ifNoneMatch, null, null);

    /// <summary>The conditions of a read: <see cref="None"/> when no conditional header is sent.</summary>
    public static S3Conditions ForRead(string? ifMatch, string? ifNoneMatch, DateTimeOffset? ifModifiedSince, DateTimeOffset? ifUnmodifiedSince) =>
        ifMatch is null && ifNoneMatch is null && ifModifiedSince is null && ifUnmodifiedSince is null
            ? None
            : new(ifMatch, ifNoneMatch, ifModifiedSince, ifUnmodifiedSince);
}
