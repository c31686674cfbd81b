using Aspire.Hosting;

namespace Kumo.Aspire.Hosting.Tests.Utils;

/// <summary>A project resource without a project file, for wiring tests (as Aspire's own tests do).</summary>
internal sealed class TestProject : IProjectMetadata
{
    public string ProjectPath => "orders";
}
