using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Kumo.Embedded.Persistence;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kumo.Embedded.Tests.Persistence;

/// <summary>
/// Small bodies wait in their append lane's buffer, so the journal writes them out before the records that name
/// them: the data directory as a kill would leave it, the moment a PUT's record is in the journal file, serves that
/// PUT's body.
/// </summary>
public sealed class JournalBodyOrderTests
{
    private const int Objects = 20;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_data_dir_copied_once_the_journal_holds_the_puts_serves_every_body()
    {
        string dataDir = TestEngine.NewDataDir();
        string copy = TestEngine.NewDataDir();
        byte[][] bodies = [.. Enumerable.Range(0, Objects).Select(_ => RandomNumberGenerator.GetBytes(4096))];

        // No fsync and no checkpoint (each writes the lanes' buffers too) runs within the test: only the journal's write can.
        var options = new KumoEngineOptions { Port = 0, DataDir = dataDir, FlushInterval = TimeSpan.FromMinutes(10) };
        await using (KumoEngine engine = await KumoEngine.StartAsync(options, NullLoggerProvider.Instance, Ct))
        {
            using var s3 = new AmazonS3Client(TestEngine.Credentials, TestEngine.S3Config(engine.Endpoint));
            await s3.PutBucketAsync("order", Ct);
            for (int i = 0; i < Objects; i++)
            {
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = "order", Key = Key(i), InputStream = new MemoryStream(bodies[i]), UseChunkEncoding = false }, Ct);
            }

            // Records are written in order, so the last key in a journal file means every PUT's record is.
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            bounded.CancelAfter(TimeSpan.FromSeconds(10));
            byte[] last = Encoding.UTF8.GetBytes(Key(Objects - 1));
            while (!JournalSegments.List(dataDir, "s3").Any(s => File.ReadAllBytes(s.Path).AsSpan().IndexOf(last) >= 0))
            {
                await Task.Delay(10, bounded.Token);
            }

            CopyDirectory(dataDir, copy);
        }

        await using KumoEngine restored = await KumoEngine.StartAsync(options with { DataDir = copy }, NullLoggerProvider.Instance, Ct);
        using var again = new AmazonS3Client(TestEngine.Credentials, TestEngine.S3Config(restored.Endpoint));
        for (int i = 0; i < Objects; i++)
        {
            using GetObjectResponse got = await again.GetObjectAsync("order", Key(i), Ct);
            using var read = new MemoryStream();
            await got.ResponseStream.CopyToAsync(read, Ct);
            Assert.Equal(bodies[i], read.ToArray());
        }

        Directory.Delete(dataDir, recursive: true);
        Directory.Delete(copy, recursive: true);
    }

    private static string Key(int i) => $"key-{i:D2}";

    private static void CopyDirectory(string source, string target)
    {
        foreach (string directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, directory)));
        }

        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(target, Path.GetRelativePath(source, file)));
        }
    }
}
