using System.Runtime.InteropServices;

namespace Kumo.Engines;

/// <summary>Finds the <c>dotnet</c> muxer that runs framework-dependent apps such as <c>kumo-embedded.dll</c>.</summary>
internal static class DotNetHost
{
    private static readonly Lazy<string> Resolved = new(Resolve);

    /// <summary>The full path of the muxer, or plain <c>dotnet</c> to let PATH decide.</summary>
    internal static string Path => Resolved.Value;

    private static string Resolve()
    {
        string executable = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";

        // The muxer that runs this process is the one whose runtime we know works.
        string? current = Environment.ProcessPath;
        if (current is not null && System.IO.Path.GetFileName(current).Equals(executable, StringComparison.OrdinalIgnoreCase))
        {
            return current;
        }

        // Set by the SDK for processes it starts (dotnet test, dotnet run).
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath))
        {
            return hostPath;
        }

        // <root>/shared/Microsoft.NETCore.App/<version>/ holds the running runtime; the muxer lives in <root>.
        string runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();
        if (runtimeDirectory.Length > 0)
        {
            string candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(runtimeDirectory, "..", "..", "..", executable));
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root && File.Exists(System.IO.Path.Combine(root, executable)))
        {
            return System.IO.Path.Combine(root, executable);
        }

        return executable;
    }
}
