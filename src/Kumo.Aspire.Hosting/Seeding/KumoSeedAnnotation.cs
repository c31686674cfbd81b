using Aspire.Hosting.ApplicationModel;
using Kumo.Seeding;

namespace Kumo.Aspire.Hosting.Seeding;

/// <summary>A seed plan added with <c>WithSeed</c>: a manifest file, a fluent plan or a ready <see cref="SeedPlan"/>.</summary>
/// <remarks>
/// In run mode the plan is loaded (and so validated) when <c>WithSeed</c> is called, so a broken manifest stops the
/// AppHost before anything starts. In publish mode nothing is seeded and the plan is never loaded.
/// </remarks>
internal sealed class KumoSeedAnnotation : IResourceAnnotation
{
    private readonly Lazy<SeedPlan> _plan;

    /// <summary>Creates the annotation.</summary>
    /// <param name="description">What the plan is, for logs and errors, e.g. <c>seed manifest '/app/seed/kumo-seed.json'</c>.</param>
    /// <param name="manifestPath">The manifest file, or null for a plan built in C#.</param>
    /// <param name="load">Loads (and validates) the plan; called at most once.</param>
    public KumoSeedAnnotation(string description, string? manifestPath, Func<SeedPlan> load)
    {
        Description = description;
        ManifestPath = manifestPath;
        _plan = new Lazy<SeedPlan>(load, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>What the plan is, for logs and errors.</summary>
    public string Description { get; }

    /// <summary>The manifest file (full path), or null for a plan built in C#.</summary>
    public string? ManifestPath { get; }

    /// <summary>The plan, loaded on first use.</summary>
    /// <exception cref="SeedManifestException">The manifest or fluent plan is invalid.</exception>
    public SeedPlan Plan => _plan.Value;
}
