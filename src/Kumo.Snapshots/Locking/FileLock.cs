using System.Diagnostics;
using System.Globalization;

namespace Kumo.Snapshots;

/// <summary>
/// A cross-process lock on a file: exclusive for builders (and for pruning or discarding a
/// snapshot), shared for readers that restore from it.
/// </summary>
/// <remarks>
/// On Unix .NET takes a <c>flock</c> on the file it opens: <see cref="FileShare.None"/> takes
/// <c>LOCK_EX</c>, read access with sharing takes <c>LOCK_SH</c>, both non-blocking, so a second
/// holder's open fails with an <see cref="IOException"/>; on Windows the share mode does the same.
/// The kernel releases the lock when the holder's descriptor closes, including when the holder is
/// killed, so a crashed builder never leaves a stale lock. Lock files are never deleted (deleting
/// one while another process waits on it would let two holders in).
/// </remarks>
internal sealed class FileLock : IDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromMilliseconds(250);

    private readonly FileStream _stream;
    private readonly string? _ownerFile;

    private FileLock(FileStream stream, string path, bool exclusive)
    {
        _stream = stream;
        Path = path;
        Exclusive = exclusive;
        if (exclusive)
        {
            _ownerFile = path + SnapshotLayout.OwnerSuffix;
            try
            {
                File.WriteAllText(_ownerFile, string.Create(CultureInfo.InvariantCulture, $"pid {Environment.ProcessId} since {DateTime.UtcNow:O}\n"));
            }
            catch (IOException)
            {
                // Diagnostics only.
            }
        }
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>True for an exclusive lock.</summary>
    public bool Exclusive { get; }

    /// <summary>Tries once to take the lock.</summary>
    /// <returns>The lock, or null when another holder conflicts.</returns>
    internal static FileLock? TryAcquire(string path, bool exclusive)
    {
        EnsureLockingEnabled();
        try
        {
            FileStream stream = exclusive
                ? new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None)
                : new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite);
            return new FileLock(stream, path, exclusive);
        }
        catch (IOException) when (File.Exists(path))
        {
            return null;
        }
        catch (UnauthorizedAccessException) when (OperatingSystem.IsWindows() && File.Exists(path))
        {
            return null;
        }
    }

    /// <summary>Takes the lock, retrying with a bounded backoff until <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">Another holder kept the lock for the whole timeout; the message names the holder.</exception>
    internal static async Task<FileLock> AcquireAsync(string path, bool exclusive, TimeSpan timeout, string purpose, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan delay = FirstRetry;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryAcquire(path, exclusive) is { } acquired)
            {
                return acquired;
            }

            TimeSpan remaining = timeout - clock.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException(
                    $"Waited {clock.Elapsed.TotalSeconds:0.0} s for the {(exclusive ? "exclusive" : "shared")} lock '{path}' to {purpose}; it is still held ({DescribeOwner(path)}). " +
                    "A lock is released when its holder exits, so the holder is alive: wait for it, stop it, or raise SnapshotRequest.LockTimeout.");
            }

            await Task.Delay(delay < remaining ? delay : remaining, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, delay.Ticks * 2));
        }
    }

    public void Dispose()
    {
        if (_ownerFile is not null)
        {
            try
            {
                File.Delete(_ownerFile);
            }
            catch (IOException)
            {
            }
        }

        _stream.Dispose();
    }

    private static string DescribeOwner(string path)
    {
        try
        {
            string owner = File.ReadAllText(path + SnapshotLayout.OwnerSuffix).Trim();
            return $"last exclusive holder: {owner}";
        }
        catch (IOException)
        {
            return "holder unknown: held shared by readers, or the owner note is missing";
        }
    }

    private static void EnsureLockingEnabled()
    {
        bool disabled = AppContext.TryGetSwitch("System.IO.DisableFileLocking", out bool value) && value;
        string? variable = Environment.GetEnvironmentVariable("DOTNET_SYSTEM_IO_DISABLEFILELOCKING");
        if (disabled || variable is "1" or "true" or "TRUE" or "True")
        {
            throw new InvalidOperationException(
                "File locking is disabled (System.IO.DisableFileLocking / DOTNET_SYSTEM_IO_DISABLEFILELOCKING), so the snapshot store cannot guarantee a single builder per snapshot. Remove that setting.");
        }
    }
}
