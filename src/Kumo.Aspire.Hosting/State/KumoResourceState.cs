using System.Collections.Immutable;
using Aspire.Hosting.ApplicationModel;

namespace Kumo.Aspire.Hosting.State;

/// <summary>Publishes a kumo resource's properties (and, on a seed failure, its state) to the dashboard.</summary>
internal static class KumoResourceState
{
    /// <summary>Sets (or, for a null value, removes) properties of the resource's snapshot.</summary>
    /// <param name="notifications">The notification service.</param>
    /// <param name="resource">The kumo resource.</param>
    /// <param name="properties">The properties to set; a null value removes the property.</param>
    /// <param name="state">Optionally changes the resource state from the current one.</param>
    /// <returns>A task that completes when the update is published.</returns>
    public static Task PublishAsync(
        ResourceNotificationService notifications,
        IResource resource,
        IReadOnlyList<(string Name, object? Value)> properties,
        Func<ResourceStateSnapshot?, ResourceStateSnapshot?>? state = null) =>
        notifications.PublishUpdateAsync(resource, snapshot => snapshot with
        {
            Properties = With(snapshot.Properties, properties),
            State = state is null ? snapshot.State : state(snapshot.State),
        });

    /// <summary>Publishes a seed state, clearing the error unless one is given.</summary>
    /// <param name="notifications">The notification service.</param>
    /// <param name="resource">The kumo resource.</param>
    /// <param name="seedState">A <see cref="KumoSeedState"/> value.</param>
    /// <param name="error">The failure message for <see cref="KumoSeedState.Failed"/>.</param>
    /// <returns>A task that completes when the update is published.</returns>
    public static Task PublishSeedStateAsync(ResourceNotificationService notifications, IResource resource, string seedState, string? error = null)
    {
        Func<ResourceStateSnapshot?, ResourceStateSnapshot?> state = seedState switch
        {
            // The engine itself runs; the resource shows the failure so nobody mistakes it for a usable emulator.
            KumoSeedState.Failed => current => current?.Text is { } text && KnownResourceStates.TerminalStates.Contains(text)
                ? current
                : new ResourceStateSnapshot(KumoSeedState.SeedFailedResourceState, KnownResourceStateStyles.Error),
            // A successful reseed after a failure puts the resource back to Running.
            _ when KumoSeedState.IsReady(seedState) => current => current?.Text == KumoSeedState.SeedFailedResourceState
                ? new ResourceStateSnapshot(KnownResourceStates.Running, KnownResourceStateStyles.Success)
                : current,
            _ => current => current,
        };

        return PublishAsync(notifications, resource, [(KumoProperties.Seed, seedState), (KumoProperties.SeedError, error)], state);
    }

    /// <summary>
    /// Publishes a new start: the next <see cref="KumoProperties.Start"/> generation and a reset seed state, in one update,
    /// so no snapshot shows the new generation with the previous start's seed state or restored data directory.
    /// </summary>
    /// <param name="notifications">The notification service.</param>
    /// <param name="resource">The kumo resource.</param>
    /// <returns>The new start's generation.</returns>
    public static async Task<int> PublishNewStartAsync(ResourceNotificationService notifications, IResource resource)
    {
        var generation = 0;
        await notifications.PublishUpdateAsync(resource, snapshot =>
        {
            generation = StartGeneration(snapshot) + 1;
            return snapshot with
            {
                Properties = With(snapshot.Properties,
                [
                    (KumoProperties.Start, generation),
                    (KumoProperties.Seed, KumoSeedState.Pending),
                    (KumoProperties.SeedError, null),
                    (KumoProperties.SeedProgress, null),
                    (KumoProperties.SnapshotDataDirectory, null),
                    (KumoProperties.SnapshotManifest, null),
                ]),
            };
        }).ConfigureAwait(false);
        return generation;
    }

    /// <summary>The resource's current snapshot as the notification service holds it, or null before its first update.</summary>
    /// <param name="notifications">The notification service.</param>
    /// <param name="resource">The kumo resource.</param>
    /// <returns>The snapshot.</returns>
    public static CustomResourceSnapshot? Current(ResourceNotificationService notifications, IResource resource) =>
        notifications.TryGetCurrentState(resource.Name, out var current) ? current.Snapshot : null;

    /// <summary>A property of the resource's current snapshot as text, or null when it has none (or no snapshot yet).</summary>
    /// <param name="notifications">The notification service.</param>
    /// <param name="resource">The kumo resource.</param>
    /// <param name="name">The property name (<see cref="KumoProperties"/>).</param>
    /// <returns>The value.</returns>
    public static string? CurrentProperty(ResourceNotificationService notifications, IResource resource, string name) =>
        Current(notifications, resource) is { } snapshot ? Property(snapshot, name) : null;

    /// <summary>The start generation a snapshot shows (<see cref="KumoProperties.Start"/>), 0 before the first start.</summary>
    /// <param name="snapshot">The resource snapshot.</param>
    /// <returns>The generation.</returns>
    public static int StartGeneration(CustomResourceSnapshot snapshot) =>
        int.TryParse(Property(snapshot, KumoProperties.Start), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var generation) ? generation : 0;

    /// <summary>Reads a property of a snapshot as text.</summary>
    /// <param name="snapshot">The resource snapshot.</param>
    /// <param name="name">The property name.</param>
    /// <returns>The value, or null when the property is absent.</returns>
    public static string? Property(CustomResourceSnapshot snapshot, string name) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == name)?.Value?.ToString();

    private static ImmutableArray<ResourcePropertySnapshot> With(ImmutableArray<ResourcePropertySnapshot> current, IReadOnlyList<(string Name, object? Value)> changes)
    {
        var names = changes.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var builder = current.RemoveAll(p => names.Contains(p.Name)).ToBuilder();
        foreach (var (name, value) in changes)
        {
            if (value is not null)
            {
                builder.Add(KumoProperties.Create(name, value));
            }
        }

        return builder.ToImmutable();
    }
}
