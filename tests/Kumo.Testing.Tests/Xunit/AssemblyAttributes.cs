using Kumo.Testing;
using Kumo.Testing.Tests.Xunit;

// Deletes the test process's snapshot store at the end of the run.
[assembly: AssemblyFixture(typeof(TestStore))]

// Every failed test of a class using a KumoFixture leaves artifacts under TestResults/kumo/ (proved by FailureArtifactsEndToEndTests).
[assembly: KumoArtifactsOnFailure]
