using Aspire.Hosting.ApplicationModel;
using Kumo.Aspire.Hosting.Seeding;
using Kumo.Seeding;
using Kumo.Testing;

namespace Aspire.Hosting;

/// <summary>
/// Provides extension methods that seed a kumo resource (buckets, objects, queues and messages) once it is healthy and
/// before anything that waits for it starts.
/// </summary>
/// <remarks>
/// <para>
/// A seed plan comes from a JSON manifest (<c>kumo-seed</c> format, see <c>docs/seed-manifest.md</c>) or from C#
/// (<see cref="SeedPlanBuilder"/>); both are checked by Kumo.Seeding. In run mode the plan is loaded when
/// <c>WithSeed</c> is called, so a broken manifest stops the AppHost at once with a <see cref="SeedManifestException"/>
/// naming the file, line, JSON pointer and fix. The plan runs in Aspire's <see cref="ResourceReadyEvent"/>: resources
/// that <c>WaitFor(kumo)</c> start only after it succeeded, and never if it failed.
/// </para>
/// <para>
/// Seeding is idempotent (existing objects are compared by MD5, queues by name), so it runs again harmlessly on every
/// start of the resource, for example against a persistent data volume.
/// </para>
/// <code lang="csharp">
/// var kumo = builder.AddKumo("kumo")
///                   .WithSeed("seed/kumo-seed.json")
///                   .WithSeed(plan => plan
///                       .FixtureVersion("v1")
///                       .Bucket("uploads-{worker}")
///                       .Queue("jobs-{worker}", q => q.Message("hello")));
/// </code>
/// </remarks>
public static class KumoSeedBuilderExtensions
{
    /// <summary>
    /// Seeds a kumo resource from a JSON seed manifest.
    /// </summary>
    /// <typeparam name="T">The kumo resource type.</typeparam>
    /// <param name="builder">The resource builder.</param>
    /// <param name="manifestPath">The manifest, absolute or relative to the AppHost directory. Files it references are relative to the manifest's directory.</param>
    /// <returns>The <see cref="IResourceBuilder{T}"/>.</returns>
    /// <remarks>
    /// <para>
    /// Bucket and queue names may contain <c>{run}</c> and <c>{worker}</c>; they resolve to the resource's run context
    /// (<see cref="WithRunContext{T}(IResourceBuilder{T}, KumoRunContext)"/>, else <see cref="KumoRunContext.Current"/>).
    /// Several <c>WithSeed</c> calls seed their plans in order.
    /// </para>
    /// <code lang="csharp">
    /// var kumo = builder.AddKumoEmbedded("kumo")
    ///                   .WithSeed("seed/kumo-seed.json");
    /// </code>
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="manifestPath"/> is empty.</exception>
    /// <exception cref="SeedManifestException">In run mode: the manifest is missing or invalid (the message names the file, line, JSON pointer and fix).</exception>
    public static IResourceBuilder<T> WithSeed<T>(this IResourceBuilder<T> builder, string manifestPath)
        where T : IKumoResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(manifestPath);

        var fullPath = Path.GetFullPath(manifestPath, builder.ApplicationBuilder.AppHostDirectory);
        return AddSeed(builder, new KumoSeedAnnotation($"seed manifest '{fullPath}'", fullPath, () => SeedManifest.Load(fullPath)));
    }

    /// <summary>
    /// Seeds a kumo resource from a plan written in C#.
    /// </summary>
    /// <typeparam name="T">The kumo resource type.</typeparam>
    /// <param name="builder">The resource builder.</param>
    /// <param name="configure">Builds the plan; file and directory sources are relative to the AppHost directory.</param>
    /// <returns>The <see cref="IResourceBuilder{T}"/>.</returns>
    /// <remarks>
    /// The plan is the same (and has the same content hash) as the equivalent manifest.
    /// <code lang="csharp">
    /// var kumo = builder.AddKumo("kumo")
    ///                   .WithSeed(plan => plan
    ///                       .FixtureVersion("v1")
    ///                       .Bucket("orders", b => b.Object("welcome.txt", "hello"))
    ///                       .Queue("orders-dlq")
    ///                       .Queue("orders", q => q.DeadLetter("orders-dlq", maxReceiveCount: 5)));
    /// </code>
    /// </remarks>
    /// <exception cref="SeedManifestException">In run mode: the plan breaks a rule (the message names the JSON pointer and fix).</exception>
    public static IResourceBuilder<T> WithSeed<T>(this IResourceBuilder<T> builder, Action<SeedPlanBuilder> configure)
        where T : IKumoResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);

        var baseDirectory = builder.ApplicationBuilder.AppHostDirectory;
        return AddSeed(builder, new KumoSeedAnnotation("fluent seed plan", manifestPath: null, () =>
        {
            var planBuilder = new SeedPlanBuilder(baseDirectory);
            configure(planBuilder);
            return planBuilder.Build();
        }));
    }

    /// <summary>
    /// Seeds a kumo resource from a plan loaded or built elsewhere.
    /// </summary>
    /// <typeparam name="T">The kumo resource type.</typeparam>
    /// <param name="builder">The resource builder.</param>
    /// <param name="plan">The plan, e.g. from <see cref="SeedManifest.Load(string)"/> or <see cref="SeedPlanBuilder.Build"/>.</param>
    /// <returns>The <see cref="IResourceBuilder{T}"/>.</returns>
    /// <remarks>
    /// <code lang="csharp">
    /// SeedPlan plan = SeedManifest.Load(Path.Combine(fixtures, "orders.json"));
    /// var kumo = builder.AddKumoEmbedded("kumo").WithSeed(plan);
    /// </code>
    /// </remarks>
    public static IResourceBuilder<T> WithSeed<T>(this IResourceBuilder<T> builder, SeedPlan plan)
        where T : IKumoResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(plan);

        var description = plan.SourcePath is { } source ? $"seed manifest '{source}'" : "seed plan";
        var manifestPath = plan.SourcePath is { } path && File.Exists(path) ? path : null;
        return AddSeed(builder, new KumoSeedAnnotation(description, manifestPath, () => plan));
    }

    /// <summary>
    /// Sets the run and worker ids that <c>{run}</c> and <c>{worker}</c> in this resource's seed plans resolve to.
    /// </summary>
    /// <typeparam name="T">The kumo resource type.</typeparam>
    /// <param name="builder">The resource builder.</param>
    /// <param name="runId">The run id, e.g. the CI run; lower-cased and made name-safe as <see cref="KumoRunContext"/> does.</param>
    /// <param name="workerId">The worker id, e.g. a test shard or an app instance.</param>
    /// <returns>The <see cref="IResourceBuilder{T}"/>.</returns>
    /// <remarks>
    /// Without it, the application's context (<c>WithKumoRunContext</c> in <c>Kumo.Aspire.Hosting.Testing</c>) or
    /// <see cref="KumoRunContext.Current"/> (CI variables, else a generated local run id and the process id) is used.
    /// <code lang="csharp">
    /// var kumo = builder.AddKumoEmbedded("kumo")
    ///                   .WithSeed("seed/kumo-seed.json")   // "orders-{run}-{worker}"
    ///                   .WithRunContext("ci-42", "shard-3");  // seeds "orders-ci-42-shard-3"
    /// </code>
    /// </remarks>
    /// <exception cref="ArgumentException">An id has no letter or digit.</exception>
    public static IResourceBuilder<T> WithRunContext<T>(this IResourceBuilder<T> builder, string runId, string workerId)
        where T : IKumoResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        ArgumentException.ThrowIfNullOrWhiteSpace(workerId);

        return builder.WithRunContext(new KumoRunContext(runId, workerId));
    }

    /// <summary>
    /// Sets the run and worker that <c>{run}</c> and <c>{worker}</c> in this resource's seed plans resolve to.
    /// </summary>
    /// <typeparam name="T">The kumo resource type.</typeparam>
    /// <param name="builder">The resource builder.</param>
    /// <param name="context">The run context.</param>
    /// <returns>The <see cref="IResourceBuilder{T}"/>.</returns>
    /// <remarks>
    /// <code lang="csharp">
    /// var context = KumoRunContext.Current;
    /// var kumo = builder.AddKumoEmbedded("kumo").WithRunContext(new KumoRunContext(context.RunId, $"{context.WorkerId}-a"));
    /// </code>
    /// </remarks>
    public static IResourceBuilder<T> WithRunContext<T>(this IResourceBuilder<T> builder, KumoRunContext context)
        where T : IKumoResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(context);

        return builder.WithAnnotation(new KumoRunContextAnnotation(context), ResourceAnnotationMutationBehavior.Replace);
    }

    private static IResourceBuilder<T> AddSeed<T>(IResourceBuilder<T> builder, KumoSeedAnnotation seed)
        where T : IKumoResource
    {
        if (builder.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            // Load now: a broken manifest stops the AppHost before anything starts.
            _ = seed.Plan;
        }

        return builder.WithAnnotation(seed, ResourceAnnotationMutationBehavior.Append);
    }
}
