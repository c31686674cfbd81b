namespace Kumo.Contract;

/// <summary>The values kumo and every Kumo component assume unless told otherwise.</summary>
public static class KumoDefaults
{
    /// <summary>The region kumo reports in ARNs and the default signing region.</summary>
    public const string Region = "us-east-1";

    /// <summary>The AWS account id kumo reports.</summary>
    public const string AccountId = "000000000000";

    /// <summary>The dummy access key and secret: kumo does not authenticate, the SDKs only need a credential.</summary>
    public const string DummyCredential = "test";

    /// <summary>kumo's port.</summary>
    public const int Port = 4566;

    /// <summary>The loopback address engines bind by default.</summary>
    public const string LoopbackHost = "127.0.0.1";

    /// <summary>The health endpoint: 200 <c>{"status":"healthy"}</c> once the listener is up.</summary>
    public const string HealthPath = "/health";

    /// <summary>The prefix of the embedded engine's own endpoints.</summary>
    public const string ControlPathPrefix = "/_kumo";

    /// <summary>The engine's identity and options (<c>GET</c>).</summary>
    public const string InfoPath = "/_kumo/info";

    /// <summary>The requests real kumo would mishandle (<c>GET</c>).</summary>
    public const string CompatibilityPath = "/_kumo/compat";

    /// <summary>Makes everything acknowledged durable (<c>POST</c>).</summary>
    public const string FlushPath = "/_kumo/flush";
}
