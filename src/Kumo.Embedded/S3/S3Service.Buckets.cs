using System.Xml;
using Microsoft.AspNetCore.Http;

namespace Kumo.Embedded.S3;

/// <summary>Bucket operations.</summary>
internal sealed partial class S3Service
{
    private async Task ListBucketsAsync(HttpContext context)
    {
        string? prefix = context.Request.Query["prefix"];
        List<S3Bucket> buckets;
        lock (_lock)
        {
            buckets = [.. _buckets.Values.Where(b => prefix is null || b.Name.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(b => b.Name, StringComparer.Ordinal)];
        }

        using var xml = new S3Xml("ListAllMyBucketsResult");
        xml.Start("Owner").Element("ID", EngineContext.AccountId).Element("DisplayName", "kumo").End();
        xml.Start("Buckets");
        foreach (S3Bucket bucket in buckets)
        {
            xml.Start("Bucket").Element("Name", bucket.Name).Element("CreationDate", S3Xml.Timestamp(bucket.Created)).Element("BucketRegion", bucket.Region).End();
        }

        xml.End();
        if (prefix is not null)
        {
            xml.Element("Prefix", prefix);
        }

        await WriteXmlAsync(context, xml).ConfigureAwait(false);
    }

    private async Task CreateBucketAsync(HttpContext context, string name)
    {
        if (BucketNames.Violation(name) is { } rule)
        {
            throw S3Errors.InvalidBucketName(name, rule);
        }

        string region = EngineContext.Region;
        byte[] body = await ReadControlBodyAsync(context).ConfigureAwait(false);
        if (body.Length > 0)
        {
            using var reader = XmlReader.Create(new MemoryStream(body), SafeXml);
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "LocationConstraint")
                {
                    string value = reader.ReadElementContentAsString();
                    if (value.Length > 0)
                    {
                        region = value;
                    }
                }
            }
        }

        long sequence;
        lock (_lock)
        {
            if (_buckets.ContainsKey(name))
            {
                throw S3Errors.BucketAlreadyOwnedByYou(name);
            }

            var bucket = new S3Bucket(name, Now, region);
            _buckets[name] = bucket;
            sequence = Record(new S3JournalRecord { Op = S3JournalRecord.CreateBucket, Bucket = name, Created = bucket.Created, Region = region });
        }

        await DurableAsync(sequence).ConfigureAwait(false);
        context.Response.Headers.Location = "/" + name;
        context.Response.ContentLength = 0;
    }

    private Task HeadBucketAsync(HttpContext context, string name)
    {
        lock (_lock)
        {
            S3Bucket bucket = RequireBucket(name);
            context.Response.Headers["x-amz-bucket-region"] = bucket.Region;
        }

        context.Response.ContentLength = 0;
        return Task.CompletedTask;
    }

    private async Task DeleteBucketAsync(HttpContext context, string name)
    {
        long sequence;
        lock (_lock)
        {
            S3Bucket bucket = RequireBucket(name);
            if (bucket.Count > 0 || _uploads.Values.Any(u => u.Bucket == name))
            {
                throw S3Errors.BucketNotEmpty(name);
            }

            _buckets.Remove(name);
            sequence = Record(new S3JournalRecord { Op = S3JournalRecord.DeleteBucket, Bucket = name });
        }

        await DurableAsync(sequence).ConfigureAwait(false);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private async Task GetBucketLocationAsync(HttpContext context, string name)
    {
        string region;
        lock (_lock)
        {
            region = RequireBucket(name).Region;
        }

        using var xml = new S3Xml("LocationConstraint");
        // us-east-1 is reported as an empty constraint, as S3 does.
        xml.Writer.WriteString(region == "us-east-1" ? string.Empty : S3Xml.WellFormedUtf16(region));
        await WriteXmlAsync(context, xml).ConfigureAwait(false);
    }

    private async Task GetBucketVersioningAsync(HttpContext context, string name)
    {
        lock (_lock)
        {
            RequireBucket(name);
        }

        using var xml = new S3Xml("VersioningConfiguration");
        await WriteXmlAsync(context, xml).ConfigureAwait(false);
    }
}
