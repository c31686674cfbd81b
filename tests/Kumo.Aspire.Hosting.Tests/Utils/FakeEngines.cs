namespace Kumo.Aspire.Hosting.Tests.Utils;

/// <summary>Executable shell scripts that stand in for an engine binary where only its discovery and <c>--version</c> answer matter.</summary>
internal static class FakeEngines
{
    /// <summary>Writes an executable <c>#!/bin/sh</c> script named <paramref name="name"/> running <paramref name="body"/>.</summary>
    public static string Write(TestDirectory directory, string name, string body)
    {
        var path = directory.Write(name, $"#!/bin/sh\n{body}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }
}
