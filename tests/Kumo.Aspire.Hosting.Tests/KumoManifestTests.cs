using System.Text.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Publishing;
using Kumo.Contract;
using Kumo.Engines;

namespace Kumo.Aspire.Hosting.Tests;

public class KumoManifestTests
{
    [Fact]
    public async Task VerifyContainerManifest()
    {
        var builder = DistributedApplication.CreateBuilder(["AppHost:Operation=publish"]);
        var kumo = builder.AddKumo("kumo")
                          .WithDataVolume("kumo-data")
                          .WithLogLevel(KumoLogLevel.Warn);
        using var app = builder.Build();

        var manifest = await WriteContainerManifestAsync(kumo.Resource, app.Services);

        var expected = $$"""
            {
              "type": "container.v0",
              "connectionString": "{kumo.bindings.http.url}",
              "image": "{{KumoContainerImageTags.Registry}}/{{KumoContainerImageTags.Image}}:{{KumoContainerImageTags.Tag}}",
              "args": [
                "--host",
                "0.0.0.0",
                "--port",
                "{kumo.bindings.http.targetPort}"
              ],
              "volumes": [
                {
                  "name": "kumo-data",
                  "target": "/var/lib/kumo",
                  "readOnly": false
                }
              ],
              "env": {
                "KUMO_DATA_DIR": "/var/lib/kumo",
                "KUMO_LOG_LEVEL": "warn"
              },
              "bindings": {
                "http": {
                  "scheme": "http",
                  "protocol": "tcp",
                  "transport": "http",
                  "targetPort": 4566
                }
              }
            }
            """;
        Assert.Equal(expected.ReplaceLineEndings(), manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings());
    }

    private static async Task<JsonNode> WriteContainerManifestAsync(ContainerResource resource, IServiceProvider services)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            var executionContext = new DistributedApplicationExecutionContext(
                new DistributedApplicationExecutionContextOptions(DistributedApplicationOperation.Publish) { Services = services });
            var context = new ManifestPublishingContext(executionContext, Path.Combine(Path.GetTempPath(), "manifest.json"), writer, TestContext.Current.CancellationToken);

            writer.WriteStartObject();
            await context.WriteContainerAsync(resource);
            writer.WriteEndObject();
        }

        return JsonNode.Parse(stream.ToArray())!;
    }
}
