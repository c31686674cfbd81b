using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Kumo.Contract;

namespace Kumo.Engines;

/// <summary>
/// What engine to run and how to launch it: its kind, identity (name and version, recorded in
/// snapshots) and the command line.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Embedded()"/> finds <c>kumo-embedded</c>: the <c>KUMO_EMBEDDED_PATH</c> variable (a
/// <c>.dll</c>, a Native AOT binary, or a directory holding either) wins; otherwise the engine next to
/// the app (<see cref="AppContext.BaseDirectory"/>) is used: in its <c>kumo-embedded</c> folder, where the
/// <c>Kumo.Embedded</c> package (which <c>Kumo.Aspire.Hosting</c> and <c>Kumo.Testing.Xunit</c> bring) copies it,
/// or in the folder itself, where a project reference to <c>Kumo.Embedded</c> copies its build output.
/// A <c>.dll</c> runs under the <c>dotnet</c> muxer that runs the current process.
/// </para>
/// <para>
/// <see cref="KumoBinary()"/> finds the real kumo: <c>KUMO_BINARY</c>, then <c>kumo</c> on PATH.
/// kumo v0.32.0 has no version flag (its cobra root command sets no version), so unless the binary
/// answers <c>--version</c>, its version is <c>sha256-&lt;first 16 hex digits of the binary&gt;</c>:
/// a different binary is a different engine, and a snapshot made by one is never restored into another.
/// </para>
/// <para>Both probes run the engine once with <c>--version</c>; results are cached per file, size and modification time.</para>
/// </remarks>
/// <example>
/// <code>
/// EngineDefinition engine = EngineDefinition.Embedded();
/// await using RunningEngine running = await EngineProcess.StartAsync(engine, new EngineStartOptions { DataDir = "/tmp/kumo-data" });
/// Console.WriteLine($"{engine.DisplayName} at {running.Endpoint}");
/// </code>
/// </example>
public sealed class EngineDefinition
{
    /// <summary>The variable that points at the embedded engine (a <c>.dll</c>, an AOT binary, or a directory).</summary>
    public const string EmbeddedPathVariable = KumoEnvironment.EmbeddedPath;

    /// <summary>The variable that points at a kumo binary.</summary>
    public const string KumoBinaryVariable = KumoEnvironment.Binary;

    /// <summary>The name the embedded engine reports (<c>kumo-embedded --version</c>).</summary>
    public const string EmbeddedName = "kumo-embedded";

    /// <summary>The folder beside the app into which the <c>Kumo.Embedded</c> package copies the engine.</summary>
    public const string EmbeddedFolderName = "kumo-embedded";

    /// <summary>The name recorded for the real kumo binary.</summary>
    public const string KumoName = "kumo";

    private static readonly ConcurrentDictionary<(string Path, long Length, DateTime Modified, EngineKind Kind), EngineDefinition> ProbeCache = new();

    /// <summary>Creates a definition from its parts (for custom launchers and tests).</summary>
    /// <param name="kind">How the endpoint is discovered and which flags are passed.</param>
    /// <param name="name">The engine name recorded in snapshots, e.g. <c>kumo-embedded</c>.</param>
    /// <param name="version">The engine version recorded in snapshots.</param>
    /// <param name="fileName">The executable to start.</param>
    /// <param name="arguments">Arguments always passed first (e.g. the <c>.dll</c> for <c>dotnet</c>).</param>
    public EngineDefinition(EngineKind kind, string name, string version, string fileName, IEnumerable<string>? arguments = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        if (!Enum.IsDefined(kind))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "Use EngineKind.Embedded or EngineKind.KumoBinary.");
        }

        Kind = kind;
        Name = name;
        Version = version;
        FileName = fileName;
        Arguments = arguments?.ToArray() ?? [];
    }

    /// <summary>How the endpoint is discovered and which flags are passed.</summary>
    public EngineKind Kind { get; }

    /// <summary>The engine name recorded in snapshot manifests.</summary>
    public string Name { get; }

    /// <summary>The engine version recorded in snapshot manifests.</summary>
    public string Version { get; }

    /// <summary>A human-readable identity, e.g. <c>kumo-embedded 0.1.0</c>.</summary>
    public string DisplayName => $"{Name} {Version}";

    /// <summary>The executable that is started.</summary>
    public string FileName { get; }

    /// <summary>Arguments passed before any the launcher adds.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>
    /// Finds the embedded engine: <c>KUMO_EMBEDDED_PATH</c>, else <c>kumo-embedded.dll</c> or a
    /// <c>kumo-embedded</c> binary in <see cref="AppContext.BaseDirectory"/> or its <c>kumo-embedded</c> folder.
    /// </summary>
    /// <returns>The definition, with the version the engine reports.</returns>
    /// <exception cref="EngineNotFoundException">Nothing was found, or it did not answer <c>--version</c>; the message says how to provide it.</exception>
    public static EngineDefinition Embedded()
    {
        if (Environment.GetEnvironmentVariable(EmbeddedPathVariable) is { Length: > 0 } configured)
        {
            if (!File.Exists(configured) && !Directory.Exists(configured))
            {
                throw new EngineNotFoundException(
                    $"{EmbeddedPathVariable} is '{configured}', which does not exist. Point it at kumo-embedded.dll, at a Native AOT kumo-embedded binary, or at a directory holding one, or unset it to use the copy next to the app ({AppContext.BaseDirectory}).");
            }

            return Embedded(configured);
        }

        return Embedded(FindNextToApp(AppContext.BaseDirectory));
    }

    /// <summary>The directory beside the app that holds the engine: <paramref name="baseDirectory"/> itself or its <c>kumo-embedded</c> folder.</summary>
    /// <param name="baseDirectory">The app's directory.</param>
    /// <returns>The directory to pass to <see cref="Embedded(string)"/>.</returns>
    /// <exception cref="EngineNotFoundException">Neither holds an engine; the message names the fix.</exception>
    internal static string FindNextToApp(string baseDirectory)
    {
        if (FindEmbeddedIn(baseDirectory) is not null)
        {
            return baseDirectory;
        }

        string folder = Path.Combine(baseDirectory, EmbeddedFolderName);
        if (FindEmbeddedIn(folder) is not null)
        {
            return folder;
        }

        throw new EngineNotFoundException(
            $"kumo-embedded was not found: {EmbeddedPathVariable} is unset and neither '{baseDirectory}' nor its '{EmbeddedFolderName}' folder holds {EmbeddedName}.dll (with {EmbeddedName}.runtimeconfig.json) or an executable {EmbeddedName}. " +
            $"Fix: add a PackageReference to Kumo.Embedded (Kumo.Aspire.Hosting and Kumo.Testing.Xunit bring it; its build targets copy the engine into '{EmbeddedFolderName}' beside your app: rebuild after adding it, and keep its build assets, i.e. no ExcludeAssets=\"build;buildTransitive\"), " +
            $"or set {EmbeddedPathVariable} to kumo-embedded.dll or to a Native AOT binary (dotnet publish src/Kumo.Embedded -c Release -p:PublishAot=true).");
    }

    /// <summary>Uses the embedded engine at <paramref name="path"/>.</summary>
    /// <param name="path"><c>kumo-embedded.dll</c>, a <c>kumo-embedded</c> executable (e.g. Native AOT), or a directory holding either.</param>
    /// <returns>The definition, with the version the engine reports.</returns>
    /// <exception cref="EngineNotFoundException">The path holds no runnable engine, or it did not answer <c>--version</c>.</exception>
    public static EngineDefinition Embedded(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            full = FindEmbeddedIn(full) ?? throw new EngineNotFoundException(
                $"'{full}' holds neither {EmbeddedName}.dll (with {EmbeddedName}.runtimeconfig.json) nor an executable {EmbeddedName}. Build or publish src/Kumo.Embedded into it, or point at the file itself.");
        }

        if (!File.Exists(full))
        {
            throw new EngineNotFoundException($"'{full}' does not exist. Point at kumo-embedded.dll or at a Native AOT kumo-embedded binary.");
        }

        string fileName;
        string[] arguments;
        if (full.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            string runtimeConfig = Path.ChangeExtension(full, ".runtimeconfig.json");
            if (!File.Exists(runtimeConfig))
            {
                throw new EngineNotFoundException(
                    $"'{full}' has no '{Path.GetFileName(runtimeConfig)}' beside it, so dotnet cannot run it. Copy the whole build output of src/Kumo.Embedded, or use a Native AOT binary.");
            }

            fileName = DotNetHost.Path;
            arguments = [full];
        }
        else
        {
            if (!ExecutableSearch.IsExecutableFile(full))
            {
                throw new EngineNotFoundException($"'{full}' is not executable. Run 'chmod +x {full}', or point at kumo-embedded.dll.");
            }

            fileName = full;
            arguments = [];
        }

        return Probe(full, EngineKind.Embedded, () =>
        {
            VersionProbe.Result result = VersionProbe.Run(fileName, arguments);
            string output = result.Output.Trim();
            string[] words = output.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (result.ExitCode != 0 || words.Length < 2 || VersionProbe.ParseVersion(words[1]) is not { } version)
            {
                throw new EngineNotFoundException(
                    $"'{full}' did not answer '--version' with '<name> <version>' (exit code {Describe(result.ExitCode)}, output: '{Shorten(output)}'). Rebuild src/Kumo.Embedded, or point {EmbeddedPathVariable} at a working kumo-embedded.");
            }

            return new EngineDefinition(EngineKind.Embedded, words[0], version, fileName, arguments);
        });
    }

    /// <summary>Finds a kumo binary: <c>KUMO_BINARY</c>, else <c>kumo</c> on PATH.</summary>
    /// <returns>The definition.</returns>
    /// <exception cref="EngineNotFoundException">No binary was found; the message says where it looked and how to install one.</exception>
    public static EngineDefinition KumoBinary()
    {
        if (Environment.GetEnvironmentVariable(KumoBinaryVariable) is { Length: > 0 } configured)
        {
            if (!File.Exists(configured))
            {
                throw new EngineNotFoundException($"{KumoBinaryVariable} is '{configured}', which does not exist. Point it at the kumo executable, or unset it to search PATH.");
            }

            return KumoBinary(configured);
        }

        string? onPath = ExecutableSearch.OnPath(KumoName);
        if (onPath is null)
        {
            throw new EngineNotFoundException(
                $"No kumo binary: {KumoBinaryVariable} is unset and no executable 'kumo' is on PATH. " +
                "Install a release (https://github.com/sivchari/kumo/releases, kumo_<version>_<os>_<arch>.tar.gz) and put it on PATH or set KUMO_BINARY to it, or use EngineDefinition.Embedded().");
        }

        return KumoBinary(onPath);
    }

    /// <summary>Uses the kumo binary at <paramref name="path"/>.</summary>
    /// <param name="path">The kumo executable.</param>
    /// <returns>The definition; its version is what <c>--version</c> prints, or a content hash of the binary when it has no such flag.</returns>
    /// <exception cref="EngineNotFoundException">The file does not exist or is not executable.</exception>
    public static EngineDefinition KumoBinary(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string full = Path.GetFullPath(path);
        if (!ExecutableSearch.IsExecutableFile(full))
        {
            throw new EngineNotFoundException(File.Exists(full)
                ? $"'{full}' is not executable. Run 'chmod +x {full}'."
                : $"'{full}' does not exist. Point at the kumo executable.");
        }

        return Probe(full, EngineKind.KumoBinary, () =>
        {
            VersionProbe.Result result = VersionProbe.Run(full, []);
            string? version = result.ExitCode == 0 ? VersionProbe.ParseVersion(result.Output) : null;
            return new EngineDefinition(EngineKind.KumoBinary, KumoName, version ?? ContentVersion(full), full);
        });
    }

    /// <inheritdoc/>
    public override string ToString() => $"{DisplayName} ({FileName}{(Arguments.Count == 0 ? string.Empty : " " + string.Join(' ', Arguments))})";

    private static string? FindEmbeddedIn(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return null;
        }

        string dll = Path.Combine(directory, EmbeddedName + ".dll");
        if (File.Exists(dll) && File.Exists(Path.Combine(directory, EmbeddedName + ".runtimeconfig.json")))
        {
            return dll;
        }

        string executable = Path.Combine(directory, OperatingSystem.IsWindows() ? EmbeddedName + ".exe" : EmbeddedName);
        return ExecutableSearch.IsExecutableFile(executable) ? executable : null;
    }

    private static EngineDefinition Probe(string file, EngineKind kind, Func<EngineDefinition> probe)
    {
        var info = new FileInfo(file);
        var key = (file, info.Length, info.LastWriteTimeUtc, kind);
        if (ProbeCache.TryGetValue(key, out EngineDefinition? cached))
        {
            return cached;
        }

        EngineDefinition definition = probe();
        ProbeCache[key] = definition;
        return definition;
    }

    private static string ContentVersion(string file)
    {
        using FileStream stream = File.OpenRead(file);
        byte[] hash = SHA256.HashData(stream);
        return "sha256-" + Convert.ToHexStringLower(hash)[..16];
    }

    private static string Describe(int? exitCode) => exitCode?.ToString(CultureInfo.InvariantCulture) ?? "none: timed out";

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
