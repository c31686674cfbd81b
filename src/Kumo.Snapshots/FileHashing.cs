using System.Security.Cryptography;

namespace Kumo.Snapshots;

/// <summary>SHA-256 of files, streamed.</summary>
internal static class FileHashing
{
    private const int BufferSize = 1 << 16;

    /// <summary>Hashes the file at <paramref name="path"/>.</summary>
    /// <returns>The size read and the lowercase hex SHA-256.</returns>
    internal static (long Size, string Sha256) Hash(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize, FileOptions.SequentialScan);
        byte[] hash = SHA256.HashData(stream);
        return (stream.Length, Convert.ToHexStringLower(hash));
    }
}
