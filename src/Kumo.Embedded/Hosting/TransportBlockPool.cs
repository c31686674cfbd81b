using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace Kumo.Embedded.Hosting;

/// <summary>
/// The memory Kestrel's socket transport reads requests into and writes answers from: pinned blocks of
/// <see cref="BlockSize"/> bytes instead of Kestrel's 4 KiB, so a request with a 4 KiB body (headers and body, about
/// 4.4 KiB) arrives in one <c>recv</c> and an answer with one goes out in one <c>send</c>.
/// </summary>
/// <remarks>
/// With 4 KiB blocks a 4 KiB PutObject took 2.1 <c>recv</c> calls and a 4 KiB GetObject answer a gathered
/// <c>sendmsg</c> of two blocks; with these, 1.02 <c>recv</c> and one <c>send</c> (<c>strace -c</c>). Side by side on
/// the 2-core machine that is +14 % PUT at 8 connections, +8 % at 1, +3 % GET (<c>bench/results/request-cost.md</c>).
/// Blocks are made on demand and kept for reuse, at most <see cref="MaxFreeBlocks"/> of them (8 MiB); a block
/// returned beyond that is left to the GC, so a burst of large uploads does not stay resident.
/// </remarks>
internal sealed class TransportBlockPool : MemoryPool<byte>
{
    /// <summary>The size of every block: a request or an answer with a 4 KiB body and its headers fits one.</summary>
    public const int BlockSize = 16 * 1024;

    /// <summary>The most free blocks kept for reuse.</summary>
    public const int MaxFreeBlocks = 512;

    private readonly ConcurrentQueue<Block> _free = new();
    private int _freeCount;
    private volatile bool _disposed;

    /// <inheritdoc />
    public override int MaxBufferSize => BlockSize;

    /// <summary>How many returned blocks wait for reuse.</summary>
    public int FreeCount => Volatile.Read(ref _freeCount);

    /// <inheritdoc />
    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        if (_free.TryDequeue(out Block? block))
        {
            Interlocked.Decrement(ref _freeCount);
            block.Rented = true;
            return block;
        }

        return new Block(this) { Rented = true };
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        _free.Clear();
        Volatile.Write(ref _freeCount, 0);
    }

    private void Return(Block block)
    {
        if (_disposed)
        {
            return;
        }

        // A soft bound (a rent between the two counts may let it pass by a block or two): enough to keep a burst of
        // large uploads from staying resident.
        if (Interlocked.Increment(ref _freeCount) > MaxFreeBlocks)
        {
            Interlocked.Decrement(ref _freeCount);
            return;
        }

        _free.Enqueue(block);
    }

    /// <summary>Makes one pool per transport queue, as Kestrel asks.</summary>
    internal sealed class Factory : IMemoryPoolFactory<byte>
    {
        /// <inheritdoc />
        public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new TransportBlockPool();
    }

    private sealed class Block(TransportBlockPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);

        public bool Rented { get; set; }

        public Memory<byte> Memory => _array;

        public void Dispose()
        {
            // A second dispose of one rental must not put the block in the free list twice.
            if (Rented)
            {
                Rented = false;
                pool.Return(this);
            }
        }
    }
}
