namespace Kumo.Testing;

/// <summary>An object in a <see cref="KumoStateDump"/>.</summary>
/// <param name="Key">The key.</param>
/// <param name="Size">The size in bytes.</param>
/// <param name="ETag">The ETag without quotes (the MD5 of single-part uploads).</param>
/// <param name="LastModified">When it was last written, if reported.</param>
public sealed record ObjectState(string Key, long Size, string ETag, DateTimeOffset? LastModified);
