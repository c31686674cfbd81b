using Aspire.Hosting.ApplicationModel;
using Kumo.Testing;

namespace Kumo.Aspire.Hosting.Seeding;

/// <summary>The run and worker ids set on one kumo resource with <c>WithRunContext</c>.</summary>
/// <param name="context">The ids.</param>
internal sealed class KumoRunContextAnnotation(KumoRunContext context) : IResourceAnnotation
{
    public KumoRunContext Context { get; } = context;
}
