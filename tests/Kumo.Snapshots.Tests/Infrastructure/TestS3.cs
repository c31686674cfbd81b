using System.Text;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Kumo.Snapshots.Tests;

/// <summary>Real AWS SDK S3 clients for an engine endpoint, with kumo-safe settings, and a small seed.</summary>
internal static class TestS3
{
    public const string Bucket = "fixture-bucket";

    public static AmazonS3Client Client(Uri endpoint) => new(
        new BasicAWSCredentials("test", "test"),
        new AmazonS3Config
        {
            ServiceURL = endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 0,
        });

    /// <summary>The body of seeded object <paramref name="index"/>: distinct per object, so each gets its own blob.</summary>
    public static string Body(int index, string salt = "") => $"object {index} {salt} " + new string((char)('a' + (index % 26)), 512 + index);

    /// <summary>Creates <see cref="Bucket"/> and puts <paramref name="objects"/> objects into it.</summary>
    public static async Task SeedAsync(Uri endpoint, int objects, string salt, CancellationToken cancellationToken)
    {
        using AmazonS3Client s3 = Client(endpoint);
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = Bucket }, cancellationToken);
        for (int i = 0; i < objects; i++)
        {
            await PutAsync(s3, $"obj-{i:D3}", Body(i, salt), cancellationToken);
        }
    }

    public static async Task PutAsync(AmazonS3Client s3, string key, string body, CancellationToken cancellationToken)
    {
        await s3.PutObjectAsync(
            new PutObjectRequest
            {
                BucketName = Bucket,
                Key = key,
                ContentBody = body,
                UseChunkEncoding = false,
            },
            cancellationToken);
    }

    public static async Task<List<string>> ListKeysAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        using AmazonS3Client s3 = Client(endpoint);
        ListObjectsV2Response response = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Bucket }, cancellationToken);
        return (response.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
    }

    public static async Task<string> GetAsync(Uri endpoint, string key, CancellationToken cancellationToken)
    {
        using AmazonS3Client s3 = Client(endpoint);
        using GetObjectResponse response = await s3.GetObjectAsync(Bucket, key, cancellationToken);
        using var reader = new StreamReader(response.ResponseStream, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
