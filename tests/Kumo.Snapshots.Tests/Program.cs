using System.Runtime.CompilerServices;
using System.Runtime.Versioning;

// The tests drive real processes with POSIX signals and read /proc.
[assembly: SupportedOSPlatform("linux")]

namespace Kumo.Snapshots.Tests;

/// <summary>
/// The test application's entry point. With <c>--snapshot-builder</c> it is a child process that
/// builds one snapshot (used by the concurrency and crash tests); otherwise it runs the tests.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == BuilderProgram.Flag)
        {
            return BuilderProgram.Run(args);
        }

        return RunTests(args);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int RunTests(string[] args)
    {
        if (args.Any(arg => arg is "--server" or "--internal-msbuild-node"))
        {
            return Xunit.MicrosoftTestingPlatform.TestPlatformTestFramework.RunAsync(args, SelfRegisteredExtensions.AddSelfRegisteredExtensions).GetAwaiter().GetResult();
        }

        return Xunit.Runner.InProc.SystemConsole.ConsoleRunner.Run(args).GetAwaiter().GetResult();
    }
}
