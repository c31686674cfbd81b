using System.Text.Json;
using Kumo.Engines;

namespace Kumo.Embedded.Tests.Clients;

/// <summary>
/// The engine against AWS clients that are not the .NET SDK: boto3, the JS SDK v3 and the AWS CLI, each run as a real
/// process over HTTP on loopback. The scripts live in <c>eng/client-checks</c> (each prints one line per check and
/// exits non-zero on a failure); <c>eng/client-checks/install.sh</c>, run by <c>test.sh</c>, installs the clients.
/// A client missing on the machine is a skip that names it and the install command.
/// </summary>
public sealed class CrossSdkClientTests : IAsyncLifetime
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(2);

    /// <summary>eng/client-checks of the repository these tests were built from (set at build time).</summary>
    private static readonly string ChecksDirectory = typeof(CrossSdkClientTests).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), inherit: false)
        .Cast<System.Reflection.AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "KumoClientChecks").Value!;

    private TestEngine? _engine;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Uri Endpoint => (_engine ?? throw new InvalidOperationException("The engine is not started.")).Endpoint;

    public async ValueTask InitializeAsync() => _engine = await TestEngine.StartAsync(persistent: false);

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("dynamodb_boto3.py", "all DynamoDB boto3 checks passed")]
    [InlineData("missing_bucket_boto3.py", "checked 54")]
    public void Boto3_checks_pass(string script, string expected)
    {
        string python = Python() ?? Skip("boto3 is not importable by python3 or /usr/bin/python3 (install: apt-get install python3-boto3, or run eng/client-checks/install.sh)");
        ShortCommand.Result result = ShortCommand.Run(python, [Path.Combine(ChecksDirectory, script), Endpoint.ToString()], ScriptTimeout, NoRealAws);
        AssertPassed(script, result, expected);
    }

    [Theory]
    [InlineData("dynamodb-js-v3.mjs", "all DynamoDB JS SDK v3 checks passed")]
    [InlineData("missing-bucket-js-v3.mjs", "checked 27, wrong 0")]
    public void Js_sdk_v3_checks_pass(string script, string expected)
    {
        string node = ExecutableSearch.OnPath("node") ?? Skip("node is not on PATH (Node.js 20 with npm; then eng/client-checks/install.sh)");
        if (!File.Exists(Path.Combine(ChecksDirectory, "node_modules", "@aws-sdk", "client-dynamodb", "package.json")))
        {
            Skip($"the JS SDK v3 is not installed in {Path.Combine(ChecksDirectory, "node_modules")} (run eng/client-checks/install.sh, or npm ci there)");
        }

        ShortCommand.Result result = ShortCommand.Run(node, [Path.Combine(ChecksDirectory, script), Endpoint.ToString()], ScriptTimeout, NoRealAws);
        AssertPassed(script, result, expected);
    }

    [Fact]
    public void Aws_cli_creates_writes_conditionally_queries_and_pages_a_table()
    {
        string aws = ExecutableSearch.OnPath("aws") ?? Skip("the AWS CLI (aws) is not on PATH (install: apt-get install awscli, or run eng/client-checks/install.sh)");
        const string Table = "cli-orders";
        JsonElement Run(params string[] arguments)
        {
            ShortCommand.Result result = Cli(aws, arguments);
            Assert.True(result.ExitCode == 0, $"aws {string.Join(' ', arguments)} exited {Describe(result.ExitCode)}:\n{result.Stdout}\n{result.Stderr}");
            return string.IsNullOrWhiteSpace(result.Stdout) ? default : JsonDocument.Parse(result.Stdout).RootElement.Clone();
        }

        Run("dynamodb", "create-table", "--table-name", Table, "--billing-mode", "PAY_PER_REQUEST",
            "--attribute-definitions", "AttributeName=pk,AttributeType=S", "AttributeName=sk,AttributeType=N",
            "--key-schema", "AttributeName=pk,KeyType=HASH", "AttributeName=sk,KeyType=RANGE");
        Run("dynamodb", "wait", "table-exists", "--table-name", Table);
        const string Exact = "12345678901234567890.123456789012345678";
        for (int sk = 1; sk <= 3; sk++)
        {
            Run("dynamodb", "put-item", "--table-name", Table, "--item", $$$"""{"pk":{"S":"a"},"sk":{"N":"{{{sk}}}"},"total":{"N":"{{{Exact}}}"}}""");
        }

        ShortCommand.Result duplicate = Cli(aws, "dynamodb", "put-item", "--table-name", Table, "--item", """{"pk":{"S":"a"},"sk":{"N":"1"}}""", "--condition-expression", "attribute_not_exists(pk)");
        JsonElement query = Run("dynamodb", "query", "--table-name", Table, "--key-condition-expression", "pk = :p AND sk >= :s",
            "--expression-attribute-values", """{":p":{"S":"a"},":s":{"N":"2"}}""", "--no-scan-index-forward");
        JsonElement scan = Run("dynamodb", "scan", "--table-name", Table, "--page-size", "1");
        Run("dynamodb", "delete-table", "--table-name", Table);
        ShortCommand.Result missing = Cli(aws, "dynamodb", "describe-table", "--table-name", Table);

        Assert.NotEqual(0, duplicate.ExitCode);
        Assert.Contains("ConditionalCheckFailedException", duplicate.Stderr, StringComparison.Ordinal);
        Assert.Equal(["3", "2"], query.GetProperty("Items").EnumerateArray().Select(i => i.GetProperty("sk").GetProperty("N").GetString()));
        Assert.Equal(Exact, query.GetProperty("Items")[0].GetProperty("total").GetProperty("N").GetString());
        Assert.Equal(3, scan.GetProperty("Count").GetInt32()); // the CLI followed LastEvaluatedKey through three pages of one
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("ResourceNotFoundException", missing.Stderr, StringComparison.Ordinal);
    }

    private ShortCommand.Result Cli(string aws, params string[] arguments) =>
        ShortCommand.Run(aws, [.. arguments, "--endpoint-url", Endpoint.ToString(), "--output", "json"], ScriptTimeout, NoRealAws);

    /// <summary>Test credentials and region, no pager, no instance metadata, no user config: nothing can reach real AWS.</summary>
    private static void NoRealAws(System.Diagnostics.ProcessStartInfo start)
    {
        start.Environment["AWS_ACCESS_KEY_ID"] = "test";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "test";
        start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        start.Environment["AWS_REGION"] = "us-east-1";
        start.Environment["AWS_PAGER"] = string.Empty;
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment.Remove("AWS_PROFILE");
        start.Environment.Remove("AWS_SESSION_TOKEN");
    }

    private static void AssertPassed(string script, ShortCommand.Result result, string expected)
    {
        TestContext.Current.SendDiagnosticMessage($"{script}:\n{result.Stdout}");
        Assert.True(result.ExitCode == 0, $"{script} exited {Describe(result.ExitCode)}:\n{result.Stdout}\n{result.Stderr}");
        Assert.Contains(expected, result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", result.Stdout, StringComparison.Ordinal);
    }

    private static string Describe(int? exitCode) => exitCode is { } code ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"nothing (killed after {ScriptTimeout})";

    private static string? Python()
    {
        foreach (string candidate in new[] { "python3", "/usr/bin/python3" })
        {
            try
            {
                if (ShortCommand.Run(candidate, ["-c", "import boto3"], TimeSpan.FromSeconds(30)).ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed: try the next one.
            }
        }

        return null;
    }

    private static string Skip(string reason)
    {
        TestContext.Current.SendDiagnosticMessage($"Skipping: {reason}");
        Assert.Skip(reason);
        return reason; // not reached: Assert.Skip throws
    }
}
