using System.Buffers;
using System.Security.Cryptography;
using Amazon.S3.Model;
using Kumo.Embedded.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace Kumo.Embedded.Tests.Hosting;

/// <summary>
/// Kestrel reads requests into and writes answers from <see cref="TransportBlockPool"/> blocks: the pool hands out whole
/// blocks, reuses returned ones, keeps a bounded number, and the engine serves bodies around the block size unchanged.
/// </summary>
public sealed class TransportBlockPoolTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void A_rented_block_is_a_whole_block_and_a_returned_one_is_reused_once()
    {
        using var pool = new TransportBlockPool();
        IMemoryOwner<byte> first = pool.Rent(2048);
        Assert.Equal(TransportBlockPool.BlockSize, first.Memory.Length);
        Memory<byte> memory = first.Memory;

        first.Dispose();
        first.Dispose(); // a second dispose of one rental does not list the block twice
        Assert.Equal(1, pool.FreeCount);

        IMemoryOwner<byte> again = pool.Rent();
        IMemoryOwner<byte> other = pool.Rent();
        Assert.True(again.Memory.Span.Overlaps(memory.Span));
        Assert.False(other.Memory.Span.Overlaps(memory.Span));
        Assert.Equal(0, pool.FreeCount);
    }

    [Fact]
    public void A_request_for_more_than_a_block_is_refused()
    {
        using var pool = new TransportBlockPool();
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Rent(TransportBlockPool.BlockSize + 1));
    }

    [Fact]
    public void At_most_the_bound_of_returned_blocks_is_kept()
    {
        using var pool = new TransportBlockPool();
        IMemoryOwner<byte>[] rented = [.. Enumerable.Range(0, TransportBlockPool.MaxFreeBlocks + 10).Select(_ => pool.Rent())];
        foreach (IMemoryOwner<byte> block in rented)
        {
            block.Dispose();
        }

        Assert.Equal(TransportBlockPool.MaxFreeBlocks, pool.FreeCount);
    }

    [Fact]
    public void The_engine_transport_takes_its_blocks_from_the_pool()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        SocketScheduling.Use(builder.WebHost);
        using WebApplication app = builder.Build();

        using MemoryPool<byte> pool = app.Services.GetRequiredService<IMemoryPoolFactory<byte>>().Create();
        Assert.IsType<TransportBlockPool>(pool);
    }

    [Theory]
    [InlineData(4096)]
    [InlineData(TransportBlockPool.BlockSize - 1)]
    [InlineData(TransportBlockPool.BlockSize)]
    [InlineData(TransportBlockPool.BlockSize + 1)]
    [InlineData((3 * TransportBlockPool.BlockSize) + 7)]
    public async Task Bodies_around_the_block_size_round_trip_unchanged(int size)
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync("blocks", Ct);
        byte[] body = RandomNumberGenerator.GetBytes(size);

        await engine.S3.PutObjectAsync(new PutObjectRequest { BucketName = "blocks", Key = "b", InputStream = new MemoryStream(body), UseChunkEncoding = false }, Ct);
        using GetObjectResponse read = await engine.S3.GetObjectAsync("blocks", "b", Ct);
        using var copy = new MemoryStream();
        await read.ResponseStream.CopyToAsync(copy, Ct);

        Assert.Equal(Convert.ToHexString(MD5.HashData(body)), read.ETag.Trim('"'), ignoreCase: true);
        Assert.Equal(body, copy.ToArray());
    }
}
