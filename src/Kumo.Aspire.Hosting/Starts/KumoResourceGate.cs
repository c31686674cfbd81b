namespace Kumo.Aspire.Hosting.Starts;

/// <summary>
/// Lets one start preparation, seed run or dashboard command of a kumo resource run at a time. One per resource, a keyed
/// singleton of the AppHost's services (<see cref="KumoStart.AddServices"/>), so it lives and is disposed with the
/// application, not with the resource model.
/// </summary>
internal sealed class KumoResourceGate : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    /// <summary>Waits for the gate.</summary>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <returns>Releases the gate when disposed.</returns>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _semaphore.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Entered(_semaphore);
    }

    /// <inheritdoc/>
    public void Dispose() => _semaphore.Dispose();

    private sealed class Entered(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
