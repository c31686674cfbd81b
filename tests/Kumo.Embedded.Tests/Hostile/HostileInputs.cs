using System.Globalization;
using System.Text;

namespace Kumo.Embedded.Tests.Hostile;

/// <summary>
/// The generated hostile-input set: every control character in keys, prefixes, delimiters, markers,
/// copy sources, metadata and response overrides; malformed UTF-8 and UTF-16 in paths, JSON and XML;
/// numeric overflow in every numeric header and query parameter the engine reads.
/// </summary>
internal static class HostileInputs
{
    /// <summary>The bucket the sweep expects to exist, holding <see cref="ExistingKey"/>.</summary>
    public const string Bucket = "bkt";

    public const string ExistingKey = "plain.txt";

    private static readonly string[] Overflows = ["9223372036854775807", "9223372036854775808", "99999999999999999999999", "-1", "-9223372036854775808", "10000000000000", "1e30", "0x10", "abc", ""];

    /// <summary>0x00–0x1F and 0x7F.</summary>
    public static IEnumerable<int> ControlCharacters => Enumerable.Range(0, 0x20).Append(0x7F);

    public static IEnumerable<HostileRequest> S3()
    {
        foreach (int c in ControlCharacters)
        {
            string hex = c.ToString("X2", CultureInfo.InvariantCulture);
            string e = "%" + hex;
            yield return HostileRequest.WithBody($"PUT key with 0x{hex}", "PUT", $"/{Bucket}/ctl{e}x", "body");
            yield return HostileRequest.Of($"ListObjectsV2 after key 0x{hex}", "GET", $"/{Bucket}?list-type=2");
            yield return HostileRequest.Of($"ListObjects after key 0x{hex}", "GET", $"/{Bucket}");
            yield return HostileRequest.Of($"ListObjectsV2 url-encoded, 0x{hex}", "GET", $"/{Bucket}?list-type=2&encoding-type=url");
            foreach (string parameter in new[] { "prefix", "start-after", "delimiter", "continuation-token" })
            {
                yield return HostileRequest.Of($"ListObjectsV2 {parameter} 0x{hex}", "GET", $"/{Bucket}?list-type=2&{parameter}=a{e}b");
            }

            foreach (string parameter in new[] { "prefix", "marker", "delimiter" })
            {
                yield return HostileRequest.Of($"ListObjects {parameter} 0x{hex}", "GET", $"/{Bucket}?{parameter}=a{e}b");
            }

            yield return HostileRequest.Of($"ListMultipartUploads prefix 0x{hex}", "GET", $"/{Bucket}?uploads&prefix=a{e}");
            yield return HostileRequest.Of($"ListBuckets prefix 0x{hex}", "GET", $"/?prefix=a{e}");
            yield return HostileRequest.WithBody($"PUT to a missing bucket, key 0x{hex}", "PUT", $"/nobucket/a{e}", "x");
            yield return HostileRequest.Of($"GET missing key 0x{hex}", "GET", $"/{Bucket}/missing{e}");
            yield return HostileRequest.Of($"copy source 0x{hex}", "PUT", $"/{Bucket}/copy-{hex}", $"x-amz-copy-source: /{Bucket}/ctl{e}x");
            yield return HostileRequest.Of($"copy source missing, 0x{hex}", "PUT", $"/{Bucket}/copy-missing", $"x-amz-copy-source: /{Bucket}/nothing{e}");
            yield return HostileRequest.Of($"copy source raw 0x{hex}", "PUT", $"/{Bucket}/copy-raw", $"x-amz-copy-source: /{Bucket}/a{(char)c}b");
            yield return HostileRequest.WithBody($"DeleteObjects key &#x{hex};", "POST", $"/{Bucket}?delete", $"<Delete><Object><Key>a&#x{hex};b</Key></Object></Delete>");
            yield return HostileRequest.WithBody($"DeleteObjects key &#{c};", "POST", $"/{Bucket}?delete", $"<Delete><Object><Key>a&#{c};b</Key></Object></Delete>");
            yield return HostileRequest.WithBody($"metadata value 0x{hex}", "PUT", $"/{Bucket}/meta-{hex}", "x", $"x-amz-meta-k: a{(char)c}b");
            yield return HostileRequest.WithBody($"metadata name 0x{hex}", "PUT", $"/{Bucket}/meta-name-{hex}", "x", $"x-amz-meta-a{(char)c}b: v");
            yield return HostileRequest.WithBody($"content-type 0x{hex}", "PUT", $"/{Bucket}/ct-{hex}", "x", $"Content-Type: a{(char)c}b");
            yield return HostileRequest.Of($"response-content-type 0x{hex}", "GET", $"/{Bucket}/{ExistingKey}?response-content-type=a{e}b");
            yield return HostileRequest.Of($"response-content-disposition 0x{hex}", "GET", $"/{Bucket}/{ExistingKey}?response-content-disposition=a{e}b");
            yield return HostileRequest.Of($"multipart create key 0x{hex}", "POST", $"/{Bucket}/mp{e}?uploads");
            yield return HostileRequest.WithBody($"CreateBucket location 0x{hex}", "PUT", $"/loc-{hex.ToLowerInvariant()}", $"<CreateBucketConfiguration><LocationConstraint>a&#x{hex};</LocationConstraint></CreateBucketConfiguration>");
        }

        foreach (string bad in new[] { "%FF%FE", "%ED%A0%80", "%C0%AF", "%E2%82", "%F4%90%80%80" })
        {
            yield return HostileRequest.WithBody($"PUT key with bytes {bad}", "PUT", $"/{Bucket}/utf{bad}", "x");
            yield return HostileRequest.Of($"list prefix bytes {bad}", "GET", $"/{Bucket}?list-type=2&prefix={bad}");
            yield return HostileRequest.Of($"copy source bytes {bad}", "PUT", $"/{Bucket}/copy-utf", $"x-amz-copy-source: /{Bucket}/utf{bad}");
        }

        yield return HostileRequest.Of("ListObjectsV2 after malformed keys", "GET", $"/{Bucket}?list-type=2");
        yield return HostileRequest.WithBytes("DeleteObjects raw 0xFF 0xFE", "POST", $"/{Bucket}?delete", [.. "<Delete><Object><Key>a"u8, 0xFF, 0xFE, .. "</Key></Object></Delete>"u8]);
        yield return HostileRequest.WithBody("DeleteObjects lone surrogate reference", "POST", $"/{Bucket}?delete", "<Delete><Object><Key>a&#xD800;b</Key></Object></Delete>");
        yield return HostileRequest.WithBody("DeleteObjects huge character reference", "POST", $"/{Bucket}?delete", "<Delete><Object><Key>a&#x110000;b</Key></Object></Delete>");
        yield return HostileRequest.WithBody("DeleteObjects 1e30 reference", "POST", $"/{Bucket}?delete", "<Delete><Object><Key>a&#99999999999999999999999;b</Key></Object></Delete>");
        yield return HostileRequest.WithBytes("CompleteMultipartUpload raw 0xFF", "POST", $"/{Bucket}/k?uploadId=x", [.. "<CompleteMultipartUpload><Part><PartNumber>1"u8, 0xFF, .. "</PartNumber></Part></CompleteMultipartUpload>"u8]);
        yield return HostileRequest.WithBody("metadata of 3 KB", "PUT", $"/{Bucket}/meta-big", "x", $"x-amz-meta-big: {new string('m', 3000)}");
        yield return HostileRequest.WithBody("metadata non-ASCII (Latin-1 bytes)", "PUT", $"/{Bucket}/meta-latin", "x", "x-amz-meta-k: caf\u00e9");

        foreach (string n in Overflows)
        {
            string q = Uri.EscapeDataString(n);
            yield return HostileRequest.Of($"max-keys={n}", "GET", $"/{Bucket}?list-type=2&max-keys={q}");
            yield return HostileRequest.Of($"v1 max-keys={n}", "GET", $"/{Bucket}?max-keys={q}");
            yield return HostileRequest.Of($"max-uploads={n}", "GET", $"/{Bucket}?uploads&max-uploads={q}");
            yield return HostileRequest.WithBody($"partNumber={n}", "PUT", $"/{Bucket}/k?uploadId=x&partNumber={q}", "x");
            yield return HostileRequest.Of($"part-number-marker={n}", "GET", $"/{Bucket}/k?uploadId=x&part-number-marker={q}&max-parts={q}");
            yield return HostileRequest.Of($"presigned X-Amz-Expires={n}", "GET", $"/{Bucket}/{ExistingKey}?X-Amz-Date=20240101T000000Z&X-Amz-Expires={q}");
            yield return HostileRequest.Of($"Range bytes={n}-", "GET", $"/{Bucket}/{ExistingKey}", $"Range: bytes={n}-");
            yield return HostileRequest.Of($"Range bytes=0-{n}", "GET", $"/{Bucket}/{ExistingKey}", $"Range: bytes=0-{n}");
            yield return HostileRequest.Of($"Range bytes=-{n}", "GET", $"/{Bucket}/{ExistingKey}", $"Range: bytes=-{n}");
            yield return HostileRequest.WithBody($"x-amz-decoded-content-length {n}", "PUT", $"/{Bucket}/chunked", "0\r\n\r\n", "Content-Encoding: aws-chunked", $"x-amz-decoded-content-length: {n}");
            yield return HostileRequest.Of($"If-Modified-Since {n}", "GET", $"/{Bucket}/{ExistingKey}", $"If-Modified-Since: {n}");
            yield return HostileRequest.Of($"copy-source-range bytes={n}-{n}", "PUT", $"/{Bucket}/k?uploadId=x&partNumber=1", $"x-amz-copy-source: /{Bucket}/{ExistingKey}", $"x-amz-copy-source-range: bytes={n}-{n}");
            yield return HostileRequest.WithBody($"Content-MD5 {n}", "PUT", $"/{Bucket}/md5", "x", $"Content-MD5: {n}");
            yield return HostileRequest.WithBody($"x-amz-checksum-sha256 {n}", "PUT", $"/{Bucket}/sha", "x", $"x-amz-checksum-sha256: {n}");
            yield return HostileRequest.WithBody($"CompleteMultipartUpload PartNumber {n}", "POST", $"/{Bucket}/k?uploadId=x", $"<CompleteMultipartUpload><Part><PartNumber>{n}</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>");
        }

        yield return HostileRequest.Of("Range bytes=-0", "GET", $"/{Bucket}/{ExistingKey}", "Range: bytes=-0");
        yield return HostileRequest.Of("presigned date in year 9999", "GET", $"/{Bucket}/{ExistingKey}?X-Amz-Date=99991231T235959Z&X-Amz-Expires=604800");
        yield return HostileRequest.Of("presigned date year 0001 overflow", "GET", $"/{Bucket}/{ExistingKey}?X-Amz-Date=00010101T000000Z&X-Amz-Expires=0");
        yield return HostileRequest.Of("HEAD a missing bucket", "HEAD", "/nobucket");
        yield return HostileRequest.Of("every subresource on a missing bucket", "GET", "/nobucket?acl");
    }

    public static IEnumerable<HostileRequest> Sqs(string queueUrl)
    {
        HostileRequest Json(string description, string action, string json) =>
            HostileRequest.WithBody(description, "POST", "/", json, $"X-Amz-Target: AmazonSQS.{action}", "Content-Type: application/x-amz-json-1.0");
        HostileRequest JsonBytes(string description, string action, byte[] json) =>
            HostileRequest.WithBytes(description, "POST", "/", json, $"X-Amz-Target: AmazonSQS.{action}", "Content-Type: application/x-amz-json-1.0");

        yield return Json("lone high surrogate escape", "SendMessage", $"{{\"QueueUrl\":\"{queueUrl}\",\"MessageBody\":\"a\\ud800b\"}}");
        yield return Json("lone low surrogate escape", "SendMessage", $"{{\"QueueUrl\":\"{queueUrl}\",\"MessageBody\":\"a\\udc00b\"}}");
        yield return Json("lone surrogate in a property name", "SendMessage", $"{{\"QueueUrl\":\"{queueUrl}\",\"\\ud800\":\"x\",\"MessageBody\":\"b\"}}");
        yield return Json("lone surrogate in an attribute name", "SendMessage", $"{{\"QueueUrl\":\"{queueUrl}\",\"MessageBody\":\"b\",\"MessageAttributes\":{{\"a\\ud800\":{{\"DataType\":\"String\",\"StringValue\":\"v\"}}}}}}");
        yield return Json("lone surrogate in a queue name", "CreateQueue", "{\"QueueName\":\"q\\ud800\"}");
        yield return JsonBytes("raw 0xFF 0xFE in a string", "SendMessage", [.. Encoding.UTF8.GetBytes($"{{\"QueueUrl\":\"{queueUrl}\",\"MessageBody\":\"a"), 0xFF, 0xFE, .. "b\"}"u8]);
        yield return JsonBytes("overlong UTF-8 in a string", "SendMessage", [.. Encoding.UTF8.GetBytes($"{{\"QueueUrl\":\"{queueUrl}\",\"MessageBody\":\"a"), 0xC0, 0xAF, .. "b\"}"u8]);
        yield return JsonBytes("raw 0xFF in the queue url", "SendMessage", [.. "{\"QueueUrl\":\"http://x/000000000000/q"u8, 0xFF, .. "\",\"MessageBody\":\"b\"}"u8]);
        yield return JsonBytes("UTF-16 body", "ListQueues", Encoding.Unicode.GetBytes("{\"QueueNamePrefix\":\"a\"}"));
        foreach (int c in ControlCharacters)
        {
            string u = "\\u" + c.ToString("x4", CultureInfo.InvariantCulture);
            yield return Json($"body with U+{c:X4}", "SendMessage", $"{{\"QueueUrl\":\"{queueUrl}\",\"MessageBody\":\"a{u}b\"}}");
            yield return Json($"queue name with U+{c:X4}", "CreateQueue", $"{{\"QueueName\":\"q{u}\"}}");
            yield return Json($"attribute value with U+{c:X4}", "SendMessage", $"{{\"QueueUrl\":\"{queueUrl}\",\"MessageBody\":\"b\",\"MessageAttributes\":{{\"k\":{{\"DataType\":\"String\",\"StringValue\":\"a{u}\"}}}}}}");
            yield return Json($"tag with U+{c:X4}", "TagQueue", $"{{\"QueueUrl\":\"{queueUrl}\",\"Tags\":{{\"k{u}\":\"v{u}\"}}}}");
            yield return Json($"receipt handle with U+{c:X4}", "DeleteMessage", $"{{\"QueueUrl\":\"{queueUrl}\",\"ReceiptHandle\":\"a{u}\"}}");
            yield return HostileRequest.WithBody($"query protocol body with %{c:X2}", "POST", "/", $"Action=SendMessage&Version=2012-11-05&QueueUrl={Uri.EscapeDataString(queueUrl)}&MessageBody=a%{c:X2}b", "Content-Type: application/x-www-form-urlencoded");
        }

        yield return HostileRequest.WithBody("query protocol %FF%FE", "POST", "/", $"Action=SendMessage&Version=2012-11-05&QueueUrl={Uri.EscapeDataString(queueUrl)}&MessageBody=a%FF%FEb", "Content-Type: application/x-www-form-urlencoded");
        yield return HostileRequest.WithBytes("query protocol raw 0xFF", "POST", "/", [.. Encoding.UTF8.GetBytes($"Action=SendMessage&Version=2012-11-05&QueueUrl={Uri.EscapeDataString(queueUrl)}&MessageBody=a"), 0xFF], "Content-Type: application/x-www-form-urlencoded");

        foreach (string n in Overflows)
        {
            string s = $"\"{n}\"";
            string number = n.Length > 0 && (char.IsAsciiDigit(n[0]) || n[0] == '-') && !n.Contains('x', StringComparison.Ordinal) ? n : s;
            foreach (string value in new[] { s, number })
            {
                yield return Json($"ReceiveMessage numbers {value}", "ReceiveMessage", $"{{\"QueueUrl\":\"{queueUrl}\",\"MaxNumberOfMessages\":{value},\"VisibilityTimeout\":{value},\"WaitTimeSeconds\":0}}");
                yield return Json($"ReceiveMessage WaitTimeSeconds {value}", "ReceiveMessage", $"{{\"QueueUrl\":\"{queueUrl}\",\"WaitTimeSeconds\":{value}}}");
                yield return Json($"SendMessage DelaySeconds {value}", "SendMessage", $"{{\"QueueUrl\":\"{queueUrl}\",\"MessageBody\":\"b\",\"DelaySeconds\":{value}}}");
                yield return Json($"ChangeMessageVisibility {value}", "ChangeMessageVisibility", $"{{\"QueueUrl\":\"{queueUrl}\",\"ReceiptHandle\":\"x\",\"VisibilityTimeout\":{value}}}");
                yield return Json($"ListQueues MaxResults {value}", "ListQueues", $"{{\"MaxResults\":{value}}}");
            }

            foreach (string attribute in new[] { "DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod", "ReceiveMessageWaitTimeSeconds", "VisibilityTimeout" })
            {
                yield return Json($"SetQueueAttributes {attribute}={n}", "SetQueueAttributes", $"{{\"QueueUrl\":\"{queueUrl}\",\"Attributes\":{{\"{attribute}\":{s}}}}}");
            }

            yield return Json($"RedrivePolicy maxReceiveCount {n}", "SetQueueAttributes", $"{{\"QueueUrl\":\"{queueUrl}\",\"Attributes\":{{\"RedrivePolicy\":\"{{\\\"deadLetterTargetArn\\\":\\\"arn:aws:sqs:us-east-1:000000000000:dlq\\\",\\\"maxReceiveCount\\\":\\\"{n}\\\"}}\"}}}}");
            yield return Json($"Number attribute {n}", "SendMessage", $"{{\"QueueUrl\":\"{queueUrl}\",\"MessageBody\":\"b\",\"MessageAttributes\":{{\"k\":{{\"DataType\":\"Number\",\"StringValue\":{s}}}}}}}");
            yield return HostileRequest.WithBody($"query protocol MaxNumberOfMessages {n}", "POST", "/", $"Action=ReceiveMessage&Version=2012-11-05&QueueUrl={Uri.EscapeDataString(queueUrl)}&MaxNumberOfMessages={Uri.EscapeDataString(n)}&VisibilityTimeout={Uri.EscapeDataString(n)}", "Content-Type: application/x-www-form-urlencoded");
        }

        yield return Json("1e400 number", "ReceiveMessage", $"{{\"QueueUrl\":\"{queueUrl}\",\"MaxNumberOfMessages\":1e400}}");
        yield return Json("deeply nested", "SendMessage", new string('[', 200) + new string(']', 200));
    }
}
