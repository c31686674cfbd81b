using Aspire.Hosting.ApplicationModel;
using Kumo.Aspire.Hosting.Snapshots;

namespace Aspire.Hosting;

/// <summary>
/// Provides the extension method that starts a kumo process from a snapshot of its seeded state instead of seeding it.
/// </summary>
/// <remarks>
/// <code lang="csharp">
/// var kumo = builder.AddKumoEmbedded("kumo")
///                   .WithSeed("seed/kumo-seed.json")
///                   .WithSnapshot();
/// </code>
/// </remarks>
public static class KumoSnapshotBuilderExtensions
{
    /// <summary>
    /// Starts the engine on a restored snapshot of its seed plans, building the snapshot once (per plan content, fixture
    /// version, run and worker when the names use them, and engine) and reusing it on every later start.
    /// </summary>
    /// <typeparam name="T">The kumo resource type.</typeparam>
    /// <param name="builder">The resource builder.</param>
    /// <param name="storeDirectory">
    /// The snapshot store, absolute or relative to the AppHost directory. If <see langword="null"/>, the
    /// <c>KUMO_SNAPSHOT_DIR</c> configuration value (environment variable, <c>appsettings.json</c> or command line) is
    /// used (relative to the AppHost directory), else <c>.kumo/snapshots</c> at the root of the repository that holds the
    /// AppHost, else <c>kumo-snapshots</c> under the temporary directory — the one default of <c>KumoSnapshotDirectory</c>,
    /// shared with the xunit fixture and kumoctl, so AppHosts and test runs share snapshots. Keep it on the same file
    /// system as the AppHost so restores can hard-link.
    /// </param>
    /// <returns>The <see cref="IResourceBuilder{T}"/>.</returns>
    /// <remarks>
    /// <para>
    /// Before each start of a process engine (<c>AddKumoEmbedded</c>, <c>AddKumoBinary</c>), the snapshot keyed by the
    /// seed plans' content hash, their fixture version (with the run and worker ids when the names use <c>{run}</c> or
    /// <c>{worker}</c>) and the engine (name and version) is taken from the store — or built first: the engine runs as a separate process on an empty directory, is seeded,
    /// stopped gracefully, and the result is published atomically; concurrent AppHosts build it once. It is then
    /// restored (hard links where possible) into a new data directory of this run,
    /// <c>&lt;store&gt;/runs/.tmp-&lt;AppHost pid&gt;-&lt;id&gt;-&lt;run&gt;-&lt;worker&gt;-&lt;resource&gt;</c>, which
    /// becomes <c>KUMO_DATA_DIR</c> (replacing <c>WithDataDirectory</c>). The seed plans are then skipped and
    /// <c>kumo.seed</c> becomes <c>Restored</c>. A restart restores a fresh copy. Data directories of AppHosts that
    /// no longer run are removed by the next restore.
    /// </para>
    /// <para>
    /// A snapshot is never restored into another engine. The kumo container (<c>AddKumo</c>) therefore ignores this
    /// option and seeds normally (the log says why): snapshots are built by running the engine as a process, and the
    /// container's kumo cannot be proven to be the same build as a kumo binary on this machine.
    /// </para>
    /// <para>
    /// Without a seed plan there is nothing to snapshot; the option is ignored and the log says so.
    /// </para>
    /// <code lang="csharp">
    /// var kumo = builder.AddKumoEmbedded("kumo")
    ///                   .WithSeed("seed/kumo-seed.json")
    ///                   .WithSnapshot(storeDirectory: "../../.kumo/snapshots");
    /// </code>
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="storeDirectory"/> is empty or whitespace.</exception>
    public static IResourceBuilder<T> WithSnapshot<T>(this IResourceBuilder<T> builder, string? storeDirectory = null)
        where T : IKumoResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (storeDirectory is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(storeDirectory);
        }

        var store = storeDirectory is null
            ? KumoSnapshots.DefaultStoreDirectory(builder.ApplicationBuilder)
            : Path.GetFullPath(storeDirectory, builder.ApplicationBuilder.AppHostDirectory);
        return builder.WithAnnotation(new KumoSnapshotAnnotation(store), ResourceAnnotationMutationBehavior.Replace);
    }
}
