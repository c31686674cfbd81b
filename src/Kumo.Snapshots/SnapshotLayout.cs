namespace Kumo.Snapshots;

/// <summary>Names of the entries of a store root and of a snapshot directory.</summary>
internal static class SnapshotLayout
{
    internal const string ManifestFileName = "manifest.json";
    internal const string DataDirectoryName = "data";
    internal const string BuildLogFileName = "build.log";
    internal const string LockPrefix = ".lock-";
    internal const string OwnerSuffix = ".owner";
    internal const int KeyLength = 32;

    /// <summary>Tells whether a directory name has the shape of a snapshot key (32 lowercase hex digits).</summary>
    internal static bool IsKey(string name) => name.Length == KeyLength && name.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}
