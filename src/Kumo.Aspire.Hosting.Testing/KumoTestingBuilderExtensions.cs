using Aspire.Hosting;
using Kumo.Aspire.Hosting.Seeding;
using Kumo.Testing;

namespace Kumo.Aspire.Hosting.Testing;

/// <summary>
/// Namespacing for parallel test applications: every kumo resource of an application resolves <c>{run}</c> and
/// <c>{worker}</c> to one run context.
/// </summary>
/// <remarks>
/// <para>
/// Test applications that run at the same time against shared state (one store, one engine, one CI job) must not seed
/// the same names. Give each application its own worker id: its seed plans' <c>{worker}</c> names then differ, and
/// snapshots (keyed by the worker when names use <c>{worker}</c>) and restored data directories are kept apart.
/// </para>
/// <code lang="csharp">
/// await using var appHost = await DistributedApplicationTestingBuilder.CreateAsync&lt;Projects.AppHost&gt;(ct);
/// var current = KumoRunContext.Current;
/// appHost.WithKumoRunContext(new KumoRunContext(current.RunId, $"{current.WorkerId}-checkout"));
/// </code>
/// </remarks>
public static class KumoTestingBuilderExtensions
{
    /// <summary>
    /// Sets the run context of every kumo resource of the application, including resources added later; a resource's
    /// own <c>WithRunContext</c> still wins.
    /// </summary>
    /// <param name="builder">The application builder (e.g. an <c>IDistributedApplicationTestingBuilder</c>).</param>
    /// <param name="context">The run and worker ids.</param>
    /// <returns>The same builder.</returns>
    public static IDistributedApplicationBuilder WithKumoRunContext(this IDistributedApplicationBuilder builder, KumoRunContext context)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(context);

        KumoAppRunContext.GetOrAdd(builder).Context = context;
        return builder;
    }

    /// <summary>
    /// Sets the run context of every kumo resource of the application to the current run (<see cref="KumoRunContext.Current"/>)
    /// and a worker id of its own: <c>&lt;current worker&gt;-&lt;<paramref name="workerSuffix"/>&gt;</c>.
    /// </summary>
    /// <param name="builder">The application builder.</param>
    /// <param name="workerSuffix">What tells this application apart from the others of the same test process, e.g. the test class.</param>
    /// <returns>The same builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="workerSuffix"/> is empty.</exception>
    public static IDistributedApplicationBuilder WithKumoWorker(this IDistributedApplicationBuilder builder, string workerSuffix)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(workerSuffix);

        var current = KumoRunContext.Current;
        return builder.WithKumoRunContext(new KumoRunContext(current.RunId, $"{current.WorkerId}-{workerSuffix}"));
    }
}
