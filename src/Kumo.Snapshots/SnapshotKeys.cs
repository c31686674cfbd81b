using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Kumo.Snapshots;

/// <summary>Derives the content address of a snapshot from everything that decides its content.</summary>
internal static class SnapshotKeys
{
    /// <summary>
    /// Hashes the format version, plan hash, fixture version, engine name and engine version, each
    /// length-prefixed so that no two different tuples serialise alike, and keeps the first 128 bits.
    /// </summary>
    internal static string Compute(int formatVersion, string planHash, string fixtureVersion, string engineName, string engineVersion)
    {
        var text = new StringBuilder("kumo-snapshot\n");
        Append(text, "format", formatVersion.ToString(CultureInfo.InvariantCulture));
        Append(text, "plan", planHash);
        Append(text, "fixture", fixtureVersion);
        Append(text, "engine", engineName);
        Append(text, "engine-version", engineVersion);
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToHexStringLower(hash)[..SnapshotLayout.KeyLength];
    }

    private static void Append(StringBuilder text, string name, string value)
        => text.Append(name).Append('=').Append(value.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append('\n');
}
