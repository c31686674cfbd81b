using Aspire.Hosting.ApplicationModel;

namespace Kumo.Aspire.Hosting.Lifecycle;

/// <summary>
/// A step that runs, in registration order, after a kumo resource is healthy and seeded (or restored) and before anything
/// that waits for it starts. Seed plans themselves are <see cref="Seeding.KumoSeedAnnotation"/>s, which a restored
/// snapshot skips; these steps always run.
/// </summary>
/// <param name="name">What the step is, for logs and errors, e.g. <c>create the test user</c>.</param>
/// <param name="callback">The step.</param>
internal sealed class KumoReadyCallbackAnnotation(string name, Func<KumoReadyContext, CancellationToken, Task> callback) : IResourceAnnotation
{
    public string Name { get; } = name;

    public Func<KumoReadyContext, CancellationToken, Task> Callback { get; } = callback;
}
