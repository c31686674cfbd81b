namespace Kumo.Aspire.Hosting;

internal static class KumoContainerImageTags
{
    /// <remarks>ghcr.io</remarks>
    public const string Registry = "ghcr.io";

    /// <remarks>sivchari/kumo</remarks>
    public const string Image = "sivchari/kumo";

    /// <remarks>0.32.0</remarks>
    public const string Tag = "0.32.0";
}
