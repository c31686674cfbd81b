namespace Kumo.Embedded.S3;

/// <summary>One page of a listing: objects and common prefixes in key order.</summary>
internal sealed record S3ListPage(List<S3Object> Contents, List<string> CommonPrefixes, bool IsTruncated, string? Last);

/// <summary>Listing the keys of a bucket.</summary>
internal sealed partial class S3Store
{
    /// <summary>
    /// Walks keys after <paramref name="marker"/> in order, folding keys that share a
    /// prefix-to-delimiter into one common prefix; each entry counts toward <paramref name="maxKeys"/>.
    /// </summary>
    public S3ListPage List(string bucketName, string prefix, string? delimiter, string? marker, int maxKeys)
    {
        var contents = new List<S3Object>();
        var commonPrefixes = new List<string>();
        string? last = null;
        bool truncated = false;
        lock (_lock)
        {
            S3Bucket bucket = Bucket(bucketName);
            string? after = marker;
            if (prefix.Length > 0 && (after is null || StringComparer.Ordinal.Compare(after, prefix) < 0))
            {
                // Start just before the prefix: every key that starts with it sorts at or after it.
                after = null;
            }

            foreach (string key in bucket.KeysAfter(after))
            {
                if (marker is not null && delimiter is not null && marker.EndsWith(delimiter, StringComparison.Ordinal) && key.StartsWith(marker, StringComparison.Ordinal))
                {
                    continue; // Inside the common prefix the previous page ended on.
                }

                if (marker is not null && StringComparer.Ordinal.Compare(key, marker) <= 0)
                {
                    continue;
                }

                if (!key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    if (StringComparer.Ordinal.Compare(key, prefix) > 0)
                    {
                        break;
                    }

                    continue;
                }

                string? common = null;
                if (delimiter is not null)
                {
                    int index = key.IndexOf(delimiter, prefix.Length, StringComparison.Ordinal);
                    if (index >= 0)
                    {
                        common = key[..(index + delimiter.Length)];
                    }
                }

                if (common is not null && commonPrefixes.Count > 0 && commonPrefixes[^1] == common)
                {
                    continue;
                }

                if (contents.Count + commonPrefixes.Count == maxKeys)
                {
                    truncated = true;
                    break;
                }

                if (common is not null)
                {
                    commonPrefixes.Add(common);
                    last = common;
                }
                else
                {
                    contents.Add(bucket.Get(key));
                    last = key;
                }
            }
        }

        return new S3ListPage(contents, commonPrefixes, truncated, last);
    }
}
