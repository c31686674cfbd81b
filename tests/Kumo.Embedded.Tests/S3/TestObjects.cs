using Kumo.Embedded.S3;

namespace Kumo.Embedded.Tests.S3;

/// <summary>Objects and keys of every kind a bucket stores differently (plain or rich), for the storage and checkpoint tests.</summary>
internal static class TestObjects
{
    /// <summary>The time of object 0; object n is n seconds later.</summary>
    public static readonly DateTimeOffset Time = new(2026, 12, 6, 16, 30, 0, TimeSpan.Zero);

    /// <summary>Keys of every kind: ASCII, non-ASCII, a surrogate pair, an unpaired surrogate, the empty string.</summary>
    public static string Key(int n) => (n % 5) switch
    {
        0 => $"k/{n}",
        1 => $"dossier/é-{n}",
        2 => $"emoji-\U0001F600-{n}",
        3 => $"lone-\uD800-{n}",
        _ => n == 4 ? string.Empty : $"x{n}",
    };

    /// <summary>A plain object for 0 (mod 8); each other remainder sets one thing that keeps an object rich.</summary>
    public static S3Object Variant(string key, int n)
    {
        string id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(n)));
        var plain = new S3Object
        {
            Key = key,
            Size = n * 3L,
            ETag = $"\"{id[..32]}\"",
            BlobId = id,
            LastModified = Time.AddSeconds(n),
            ContentType = n % 2 == 0 ? "application/octet-stream" : "text/plain",
        };
        return (n % 8) switch
        {
            0 => plain,
            1 => plain with { ETag = $"\"{id[..32]}-2\"" }, // multipart
            2 => plain with { ETag = $"\"{id[32..]}\"" }, // an id of an earlier version (SHA-256)
            3 => plain with { Metadata = new Dictionary<string, string> { ["a"] = "b" }.AsReadOnly() },
            4 => plain with { LastModified = Time.ToOffset(TimeSpan.FromHours(2)) },
            5 => plain with { BlobId = id.ToUpperInvariant(), ETag = $"\"{id[..32].ToUpperInvariant()}\"" },
            6 => plain with { ChecksumAlgorithm = "CRC32", ChecksumValue = "AAAAAA==" },
            _ => plain with { CacheControl = "no-cache" },
        };
    }
}
