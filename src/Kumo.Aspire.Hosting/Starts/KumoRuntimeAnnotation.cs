using Aspire.Hosting.ApplicationModel;

namespace Kumo.Aspire.Hosting.Starts;

/// <summary>
/// What a kumo resource knows about its current run: added once by every <c>AddKumo*</c> method and updated by the
/// lifecycle events and dashboard commands.
/// </summary>
/// <param name="defaultSnapshotDirectory">The snapshot store used when <c>WithSnapshot</c> names none.</param>
/// <param name="dumpDirectory">Where <c>dump-state</c> writes its files.</param>
internal sealed class KumoRuntimeAnnotation(string defaultSnapshotDirectory, string dumpDirectory) : IResourceAnnotation
{
    private KumoStartState? _current;

    /// <summary>The snapshot store used by <c>snapshot-now</c> when <c>WithSnapshot</c> was not called.</summary>
    public string DefaultSnapshotDirectory { get; } = defaultSnapshotDirectory;

    /// <summary>Where <c>dump-state</c> writes its files: <c>obj/kumo-dumps</c> under the AppHost directory.</summary>
    public string DumpDirectory { get; } = dumpDirectory;

    /// <summary>One seed run, restore or command at a time per resource.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The state prepared before the current start; null before the first start.</summary>
    public KumoStartState? Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }
}
