namespace Kumo.Embedded.S3;

/// <summary>
/// An object looked up for GET or HEAD: its body open (GET), whether the conditions answer 304, and
/// the byte range to serve (null: the whole object). The caller disposes <see cref="Content"/>.
/// </summary>
internal sealed record S3ObjectRead(S3Object Value, StoredBody? Content, bool NotModified, (long Offset, long Length)? Range);
