namespace Kumo.Aspire.Hosting.Tests.Utils;

/// <summary>Argument values for guard-clause tests.</summary>
internal static class Names
{
    /// <summary>
    /// Returns <paramref name="name"/> through a call, so Aspire's ASPIRE006 analyzer (which rejects an invalid literal
    /// resource name at compile time) lets a test prove the run-time guard as well.
    /// </summary>
    public static string NotConstant(string name) => name;
}
