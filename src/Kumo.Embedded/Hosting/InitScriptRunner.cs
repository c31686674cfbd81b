using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Kumo.Contract;

namespace Kumo.Embedded.Hosting;

/// <summary>
/// Runs <c>$KUMO_INIT_DIR/*.sh</c> once the engine listens, as kumo does: top-level files only, in
/// ordinal name order, each with <c>sh</c>; a failing script is logged and the next one runs.
/// </summary>
/// <remarks>
/// Scripts get <c>AWS_ENDPOINT_URL</c>, dummy credentials and <c>AWS_REGION</c> in their
/// environment so the AWS CLI or any SDK inside them talks to this engine.
/// </remarks>
internal static partial class InitScriptRunner
{
    public static async Task RunAsync(string directory, Uri endpoint, ILogger logger, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
        {
            LogMissing(logger, directory);
            return;
        }

        string[] scripts = Directory.GetFiles(directory, "*.sh", SearchOption.TopDirectoryOnly);
        Array.Sort(scripts, StringComparer.Ordinal);
        foreach (string script in scripts)
        {
            var start = new ProcessStartInfo("sh")
            {
                ArgumentList = { script },
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment[AwsEnvironment.EndpointUrl] = endpoint.ToString().TrimEnd('/');
            start.Environment[AwsEnvironment.AccessKeyId] = KumoDefaults.DummyCredential;
            start.Environment[AwsEnvironment.SecretAccessKey] = KumoDefaults.DummyCredential;
            start.Environment[AwsEnvironment.Region] = KumoDefaults.Region;
            start.Environment[AwsEnvironment.DefaultRegion] = KumoDefaults.Region;
            SocketScheduling.KeepFromChild(start.Environment);

            try
            {
                using Process process = Process.Start(start) ?? throw new InvalidOperationException("sh did not start.");
                Task<string> stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
                Task<string> stderr = process.StandardError.ReadToEndAsync(cancellationToken);
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                string output = (await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false)).Trim();
                if (process.ExitCode == 0)
                {
                    LogScriptDone(logger, Path.GetFileName(script), output);
                }
                else
                {
                    LogScriptFailed(logger, Path.GetFileName(script), process.ExitCode, output);
                }
            }
            catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                LogScriptError(logger, ex, Path.GetFileName(script));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "KUMO_INIT_DIR '{Directory}' does not exist; no init scripts run")]
    private static partial void LogMissing(ILogger logger, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "Init script {Script} completed. {Output}")]
    private static partial void LogScriptDone(ILogger logger, string script, string output);

    [LoggerMessage(Level = LogLevel.Error, Message = "Init script {Script} exited with {ExitCode}; continuing. {Output}")]
    private static partial void LogScriptFailed(ILogger logger, string script, int exitCode, string output);

    [LoggerMessage(Level = LogLevel.Error, Message = "Init script {Script} could not run; continuing")]
    private static partial void LogScriptError(ILogger logger, Exception ex, string script);
}
