using System.Reflection;
using System.Text.RegularExpressions;

namespace Kumo.Packages.Tests;

/// <summary>The repository these tests pack, and the versions it pins (read from its files, never repeated here).</summary>
internal static partial class Repository
{
    /// <summary>The repository root (set at build time).</summary>
    public static string Root { get; } = Metadata("KumoRepositoryRoot");

    /// <summary>The configuration the solution was built in (the packages are packed from that build).</summary>
    public static string Configuration { get; } = Metadata("KumoConfiguration");

    /// <summary>The solution file.</summary>
    public static string Solution => Path.Combine(Root, "Kumo.Aspire.sln");

    /// <summary>The central version of <paramref name="packageId"/> in Directory.Packages.props, with <c>$(Property)</c> expanded.</summary>
    /// <param name="packageId">A package with a central version.</param>
    /// <returns>The version.</returns>
    public static string CentralVersion(string packageId)
    {
        string props = File.ReadAllText(Path.Combine(Root, "Directory.Packages.props"));
        Match match = Regex.Match(props, $"""<PackageVersion Include="{Regex.Escape(packageId)}" Version="([^"]+)" """.TrimEnd());
        if (!match.Success)
        {
            throw new InvalidOperationException($"Directory.Packages.props has no PackageVersion for {packageId}.");
        }

        return PropertyReference().Replace(match.Groups[1].Value, property =>
        {
            Match defined = Regex.Match(props, $"<{property.Groups[1].Value}>([^<]+)</{property.Groups[1].Value}>");
            return defined.Success ? defined.Groups[1].Value : throw new InvalidOperationException($"Directory.Packages.props does not define $({property.Groups[1].Value}).");
        });
    }

    /// <summary>The Aspire AppHost SDK version the repository's AppHost names in its <c>Sdk</c> attribute.</summary>
    /// <returns>The version, e.g. <c>13.6.4</c>.</returns>
    public static string AspireAppHostSdkVersion()
    {
        string project = File.ReadAllText(Path.Combine(Root, "src", "AppHost", "AppHost.csproj"));
        Match match = Regex.Match(project, "Sdk=\"Aspire.AppHost.Sdk/([^\"]+)\"");
        return match.Success ? match.Groups[1].Value : throw new InvalidOperationException("src/AppHost/AppHost.csproj names no Aspire.AppHost.Sdk version.");
    }

    private static string Metadata(string key) => typeof(Repository).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == key).Value!;

    [GeneratedRegex(@"\$\(([A-Za-z0-9_]+)\)")]
    private static partial Regex PropertyReference();
}
