using Aspire.Hosting.ApplicationModel;
using Kumo.Contract;

namespace Kumo.Aspire.Hosting.Wiring;

/// <summary>
/// Gives a resource that references kumo the contract's <see cref="AwsEnvironment"/> variables (the "wiring contract").
/// </summary>
/// <remarks>
/// The endpoint values are endpoint references, so Aspire resolves them for each consumer: a project or executable
/// gets the host address (<c>http://localhost:&lt;port&gt;</c>), a container gets the container-network address
/// (<c>http://&lt;name&gt;.dev.internal:4566</c>). Every service of <see cref="AwsEnvironment.ServiceEndpoints"/> gets
/// its own endpoint variable; kumo accepts any credentials, so the dummies only satisfy the SDK's credential chain;
/// kumo does not verify or strip checksums, so clients compute them only when an API requires it.
/// </remarks>
internal static class KumoAwsEnvironment
{
    /// <summary>Adds the AWS variables for <paramref name="kumo"/> to a consumer's environment.</summary>
    /// <param name="context">The consumer's environment callback context.</param>
    /// <param name="kumo">The referenced kumo resource.</param>
    public static void Apply(EnvironmentCallbackContext context, IKumoResource kumo)
    {
        var endpoint = ReferenceExpression.Create($"{kumo.PrimaryEndpoint.Property(EndpointProperty.Url)}");
        var variables = context.EnvironmentVariables;

        variables[AwsEnvironment.EndpointUrl] = endpoint;
        foreach (AwsServiceEndpoint service in AwsEnvironment.ServiceEndpoints)
        {
            variables[service.EndpointVariable] = endpoint;
        }

        variables[AwsEnvironment.Region] = KumoDefaults.Region;
        variables[AwsEnvironment.DefaultRegion] = KumoDefaults.Region;
        variables[AwsEnvironment.AccessKeyId] = KumoDefaults.DummyCredential;
        variables[AwsEnvironment.SecretAccessKey] = KumoDefaults.DummyCredential;
        variables[AwsEnvironment.RequestChecksumCalculation] = AwsEnvironment.WhenRequired;
        variables[AwsEnvironment.ResponseChecksumValidation] = AwsEnvironment.WhenRequired;
    }
}
