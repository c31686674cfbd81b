namespace Kumo.Seeding;

/// <summary>How <see cref="KumoSeeder"/> runs.</summary>
/// <example>
/// <code>
/// var options = new SeedOptions { MaxParallelism = 4, Progress = new Progress&lt;SeedProgress&gt;(p => Console.WriteLine(p)) };
/// </code>
/// </example>
public sealed class SeedOptions
{
    /// <summary>The default for <see cref="MaxParallelism"/>.</summary>
    public const int DefaultMaxParallelism = 8;

    /// <summary>How many requests run at once (at least 1). Default 8.</summary>
    public int MaxParallelism { get; init; } = DefaultMaxParallelism;

    /// <summary>Receives a <see cref="SeedProgress"/> after each item; called from worker threads, possibly concurrently.</summary>
    public IProgress<SeedProgress>? Progress { get; init; }

    /// <summary>Whether to run the verify phase (default true).</summary>
    public bool Verify { get; init; } = true;
}
