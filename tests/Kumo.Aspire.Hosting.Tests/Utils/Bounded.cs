namespace Kumo.Aspire.Hosting.Tests.Utils;

/// <summary>Bounds a model test's waits on Aspire (endpoint allocation, events), so a regression fails instead of hanging.</summary>
internal static class Bounded
{
    /// <summary>How long a model test may wait on anything Aspire evaluates without DCP.</summary>
    public static readonly TimeSpan ModelWait = TimeSpan.FromSeconds(30);

    /// <summary>The test's cancellation token, cancelled after <see cref="ModelWait"/>.</summary>
    public static CancellationToken Token
    {
        get
        {
            var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            cts.CancelAfter(ModelWait);
            return cts.Token;
        }
    }
}
