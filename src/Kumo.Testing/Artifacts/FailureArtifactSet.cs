namespace Kumo.Testing;

/// <summary>Where <see cref="FailureArtifacts.WriteAsync"/> put a test's artifacts.</summary>
/// <param name="Directory">The test's artifact directory.</param>
/// <param name="Files">The files written, as full paths.</param>
/// <param name="Problems">Parts that could not be saved (e.g. a manifest path that does not exist); also written to <c>problems.txt</c>.</param>
public sealed record FailureArtifactSet(string Directory, IReadOnlyList<string> Files, IReadOnlyList<string> Problems);
