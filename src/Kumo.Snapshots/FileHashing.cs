using System.Buffers;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace Kumo.Snapshots;

/// <summary>SHA-256 of files, read with positional reads into a pooled buffer.</summary>
/// <remarks>
/// Snapshots hold many small files (one per S3 object body), so the per-file cost matters more
/// than the throughput: no <see cref="FileStream"/> (and its 64 KiB buffer) per file, and a file
/// that fits the buffer is hashed in one call without an incremental hash context.
/// </remarks>
internal static class FileHashing
{
    private const int BufferSize = 256 * 1024;

    /// <summary>Hashes the file at <paramref name="path"/>.</summary>
    /// <returns>The size read and the lowercase hex SHA-256.</returns>
    internal static (long Size, string Sha256) Hash(string path)
    {
        using SafeFileHandle handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            int filled = Fill(handle, buffer, 0);
            if (filled < buffer.Length)
            {
                // The whole file is in the buffer.
                SHA256.HashData(buffer.AsSpan(0, filled), digest);
                return (filled, Convert.ToHexStringLower(digest));
            }

            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            long total = 0;
            while (filled > 0)
            {
                sha.AppendData(buffer, 0, filled);
                total += filled;
                filled = Fill(handle, buffer, total);
            }

            sha.GetHashAndReset(digest);
            return (total, Convert.ToHexStringLower(digest));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads from <paramref name="offset"/> until the buffer is full or the file ends.</summary>
    /// <returns>The bytes read; less than the buffer's length only at the end of the file.</returns>
    private static int Fill(SafeFileHandle handle, byte[] buffer, long offset)
    {
        int filled = 0;
        int read;
        while (filled < buffer.Length && (read = RandomAccess.Read(handle, buffer.AsSpan(filled), offset + filled)) > 0)
        {
            filled += read;
        }

        return filled;
    }
}
