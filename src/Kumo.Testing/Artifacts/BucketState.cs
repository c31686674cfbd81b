namespace Kumo.Testing;

/// <summary>A bucket in a <see cref="KumoStateDump"/>.</summary>
/// <param name="Name">The bucket name.</param>
/// <param name="Objects">Its objects, sorted by key (at most <see cref="KumoStateDump.MaxObjectsPerBucket"/>).</param>
/// <param name="Truncated">True when the bucket holds more objects than were listed.</param>
public sealed record BucketState(string Name, IReadOnlyList<ObjectState> Objects, bool Truncated);
