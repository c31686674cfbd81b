using System.Globalization;
using System.Text;
using Kumo.Contract;
using Kumo.Storage;

namespace Kumo.Seeding;

/// <summary>
/// The semantic checks shared by the JSON manifest and the fluent builder: names, placeholders,
/// files, attributes, redrive and messages. Also resolves file paths and expands directories.
/// </summary>
internal static class SeedPlanValidator
{
    private const int MaxFixtureVersionLength = 128;
    private const int MaxKeyBytes = 1024;
    private const int MaxMetadataBytes = 2048;
    private const int MaxMessageBytes = SqsLimits.DefaultMaximumMessageSize;
    private const int MaxMessageAttributes = SqsLimits.MaxMessageAttributes;
    private const int MaxFifoIdLength = SqsLimits.MaxDeduplicationIdLength;

    public static void Validate(SeedPlan plan, SeedLocation root, SeedErrors errors)
    {
        if (string.IsNullOrWhiteSpace(plan.FixtureVersion))
        {
            errors.Add(root, "fixtureVersion", "fixtureVersion is empty.", "set \"fixtureVersion\" to a label you change whenever the fixture's meaning changes, e.g. \"v1\".");
        }
        else if (plan.FixtureVersion.Length > MaxFixtureVersionLength || plan.FixtureVersion.Any(char.IsControl))
        {
            errors.Add(root, "fixtureVersion", $"fixtureVersion must be at most {MaxFixtureVersionLength} printable characters.", "use a short label such as \"v1\" or \"2025-06-01\".");
        }

        if (plan.Buckets.Count == 0 && plan.Queues.Count == 0 && plan.Tables.Count == 0)
        {
            errors.Add(root, null, "the plan seeds nothing: it has no buckets, no queues and no tables.", "add at least one entry to \"buckets\", \"queues\" or \"tables\".");
        }

        var tables = new Dictionary<string, TableSeed>(StringComparer.Ordinal);
        foreach (TableSeed table in plan.Tables)
        {
            if (CheckName(table.Location, table.Name, "table name", errors, (n, l) => AwsNameRules.TableNameProblem(n, l), "use 3 to 255 letters, digits, '_', '-' or '.', with {run}/{worker} placeholders if needed.")
                && !tables.TryAdd(table.Name, table))
            {
                errors.Add(table.Location, "name", $"table '{table.Name}' is declared twice (first at {tables[table.Name].Location.Pointer}).", "merge the two entries or rename one of them.");
            }

            TableRules.Validate(table, errors);
        }

        var bucketNames = new Dictionary<string, BucketSeed>(StringComparer.Ordinal);
        foreach (BucketSeed bucket in plan.Buckets)
        {
            ValidateBucket(plan, bucket, bucketNames, errors);
        }

        var queues = new Dictionary<string, QueueSeed>(StringComparer.Ordinal);
        foreach (QueueSeed queue in plan.Queues)
        {
            if (CheckName(queue.Location, queue.Name, "queue name", errors, (n, l) => AwsNameRules.QueueNameProblem(n, queue.Fifo, l), QueueNameFix(queue.Name, queue.Fifo))
                && !queues.TryAdd(queue.Name, queue))
            {
                errors.Add(queue.Location, "name", $"queue '{queue.Name}' is declared twice (first at {queues[queue.Name].Location.Pointer}).", "merge the two entries or rename one of them.");
            }
        }

        foreach (QueueSeed queue in plan.Queues)
        {
            ValidateQueue(queue, queues, errors);
        }

        CheckRedriveCycles(plan, queues, errors);
    }

    /// <summary>A fix for a bucket name: a cleaned-up suggestion.</summary>
    public static string BucketNameFix(string name)
    {
        var suggestion = new StringBuilder();
        foreach (char c in name.ToLowerInvariant())
        {
            suggestion.Append(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '{' or '}' ? c : '-');
        }

        string cleaned = suggestion.ToString().Replace("..", ".", StringComparison.Ordinal).Trim('-', '.');
        return cleaned.Length >= 3 && cleaned != name
            ? $"rename it, e.g. '{cleaned}' (3-63 lower-case letters, digits, hyphens or dots, starting and ending with a letter or digit)."
            : "rename it: 3-63 lower-case letters, digits, hyphens or dots, starting and ending with a letter or digit, not an IP address.";
    }

    /// <summary>A fix for a queue name.</summary>
    public static string QueueNameFix(string name, bool fifo)
    {
        bool endsFifo = name.EndsWith(AwsNameRules.FifoSuffix, StringComparison.Ordinal);
        if (fifo && !endsFifo)
        {
            return $"rename it to '{name}{AwsNameRules.FifoSuffix}', or set \"fifo\": false.";
        }

        if (!fifo && endsFifo)
        {
            return "set \"fifo\": true on the queue, or remove the '.fifo' suffix from its name.";
        }

        return $"rename it: 1-{AwsNameRules.MaxQueueNameLength} letters, digits, hyphens or underscores" + (fifo ? ", ending in '.fifo'." : ".");
    }

    private static void ValidateBucket(SeedPlan plan, BucketSeed bucket, Dictionary<string, BucketSeed> names, SeedErrors errors)
    {
        if (CheckName(bucket.Location, bucket.Name, "bucket name", errors, (n, l) => AwsNameRules.BucketNameProblem(n, NameStrictness.Aws, l), BucketNameFix(bucket.Name))
            && !names.TryAdd(bucket.Name, bucket))
        {
            errors.Add(bucket.Location, "name", $"bucket '{bucket.Name}' is declared twice (first at {names[bucket.Name].Location.Pointer}).", "merge the two entries into one bucket or rename one of them.");
        }

        var keys = new Dictionary<string, ObjectSeed>(StringComparer.Ordinal);
        foreach (ObjectSeed seed in bucket.Objects)
        {
            ValidateObject(plan, seed, errors);
            foreach (string key in KeysOf(seed))
            {
                if (!keys.TryAdd(key, seed))
                {
                    string field = seed.Kind == ObjectSourceKind.Directory ? "prefix" : "key";
                    errors.Add(seed.Location, field, $"object key '{key}' in bucket '{bucket.Name}' is produced twice (first by {keys[key].Location.Pointer}).", "remove one of the entries, or give them different keys or prefixes.");
                }
            }
        }
    }

    private static IEnumerable<string> KeysOf(ObjectSeed seed) =>
        seed.Kind == ObjectSourceKind.Directory ? seed.Files.Select(f => seed.Key + f.RelativePath) : [seed.Key];

    private static void ValidateObject(SeedPlan plan, ObjectSeed seed, SeedErrors errors)
    {
        string keyField = seed.Kind == ObjectSourceKind.Directory ? "prefix" : "key";
        if (seed.Kind != ObjectSourceKind.Directory && seed.Key.Length == 0)
        {
            errors.Add(seed.Location, keyField, "the object key is empty.", "set \"key\" to the object's key, e.g. \"data/orders.json\".");
        }
        else if (seed.Key.StartsWith('/'))
        {
            errors.Add(seed.Location, keyField, $"the object {keyField} '{seed.Key}' starts with '/'.", $"remove the leading '/': '{seed.Key.TrimStart('/')}'.");
        }
        else if (Encoding.UTF8.GetByteCount(seed.Key) > MaxKeyBytes)
        {
            errors.Add(seed.Location, keyField, $"the object {keyField} is longer than {MaxKeyBytes} UTF-8 bytes.", "shorten it.");
        }
        else if (seed.Key.Any(char.IsControl))
        {
            errors.Add(seed.Location, keyField, $"the object {keyField} '{seed.Key}' contains a control character.", "remove control characters (tabs, newlines) from the key.");
        }

        if (seed.Kind != ObjectSourceKind.Text)
        {
            ResolvePath(plan, seed, errors);
        }

        if (seed.ContentType is { } contentType && !ContentTypes.IsWellFormed(contentType))
        {
            errors.Add(seed.Location, "contentType", $"content type '{contentType}' is not of the form type/subtype.", "use a media type such as \"application/json\", or remove \"contentType\" to derive it from the extension.");
        }

        int metadataBytes = 0;
        foreach ((string name, string value) in seed.Metadata)
        {
            metadataBytes += Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(value);
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_' or '.'))
            {
                errors.Add(seed.Location.PointerOf("metadata", name), seed.Location.LineOf("metadata", name),
                    $"metadata key '{name}' is not allowed; keys are sent as x-amz-meta-<key> headers.", "use letters, digits, '-', '_' or '.' (keys are stored lower-case).");
            }

            if (value.Any(c => c < 0x20 || c > 0x7E))
            {
                errors.Add(seed.Location.PointerOf("metadata", name), seed.Location.LineOf("metadata", name),
                    $"metadata value of '{name}' contains characters that HTTP headers cannot carry.", "use printable ASCII only, or URL-encode the value.");
            }
        }

        if (metadataBytes > MaxMetadataBytes)
        {
            errors.Add(seed.Location, "metadata", $"metadata is {metadataBytes} bytes; S3 allows {MaxMetadataBytes}.", "store large values in the object body instead.");
        }
    }

    private static void ResolvePath(SeedPlan plan, ObjectSeed seed, SeedErrors errors)
    {
        string field = seed.Kind == ObjectSourceKind.File ? "file" : "directory";
        string relative = seed.Path ?? string.Empty;
        if (relative.Length == 0)
        {
            errors.Add(seed.Location, field, $"\"{field}\" is empty.", $"set \"{field}\" to a path relative to '{plan.BaseDirectory}'.");
            return;
        }

        string full;
        try
        {
            full = ContainedPath.Combine(plan.BaseDirectory, relative.Replace('/', Path.DirectorySeparatorChar));
        }
        catch (ArgumentException)
        {
            errors.Add(seed.Location, field, $"'{relative}' points outside the manifest directory '{plan.BaseDirectory}'.",
                "keep seeded files inside the manifest's directory: copy the file under it and use a relative path without '..' segments, or move the manifest up.");
            return;
        }

        if (seed.Kind == ObjectSourceKind.File)
        {
            if (File.Exists(full))
            {
                seed.FullPath = full;
            }
            else if (Directory.Exists(full))
            {
                errors.Add(seed.Location, field, $"'{relative}' is a directory, not a file.", "use \"directory\" (with \"prefix\") to upload every file under it, or point \"file\" at a file.");
            }
            else
            {
                errors.Add(seed.Location, field, $"file '{relative}' does not exist (looked for '{full}').", $"create the file or correct the path; it is relative to '{plan.BaseDirectory}'.");
            }

            return;
        }

        if (!Directory.Exists(full))
        {
            errors.Add(seed.Location, field, File.Exists(full) ? $"'{relative}' is a file, not a directory." : $"directory '{relative}' does not exist (looked for '{full}').",
                File.Exists(full) ? "use \"file\" (with \"key\") for a single file." : $"create the directory or correct the path; it is relative to '{plan.BaseDirectory}'.");
            return;
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false, ReturnSpecialDirectories = false };
        var files = Directory.EnumerateFiles(full, "*", options)
            .Select(f => new DirectoryFile(Path.GetRelativePath(full, f).Replace(Path.DirectorySeparatorChar, '/'), f))
            .ToList();
        files.Sort(static (a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        if (files.Count == 0)
        {
            errors.Add(seed.Location, field, $"directory '{relative}' contains no files.", "add files to it, or remove the entry.");
            return;
        }

        seed.FullPath = full;
        seed.Files = files;
    }

    private static void ValidateQueue(QueueSeed queue, Dictionary<string, QueueSeed> queues, SeedErrors errors)
    {
        foreach ((string name, string value) in queue.Attributes)
        {
            if (QueueAttributeRules.Check(name, value, queue.Fifo) is { } failure)
            {
                errors.Add(queue.Location.PointerOf("attributes", name), queue.Location.LineOf("attributes", name), $"queue '{queue.Name}': {failure.Problem}", failure.Fix);
            }
        }

        if (queue.DeadLetter is { } redrive)
        {
            if (redrive.MaxReceiveCount is < 1 or > SqsLimits.MaxReceiveCountLimit)
            {
                errors.Add(redrive.Location, "maxReceiveCount", $"maxReceiveCount is {redrive.MaxReceiveCount}; it must be from 1 to {SqsLimits.MaxReceiveCountLimit}.", $"set \"maxReceiveCount\" to a whole number from 1 to {SqsLimits.MaxReceiveCountLimit} (3 to 5 is typical).");
            }

            if (redrive.QueueName.Length == 0)
            {
                errors.Add(redrive.Location, "deadLetterQueue", "deadLetterQueue is empty.", "set \"deadLetterQueue\" to the name of another queue in \"queues\".");
            }
            else if (redrive.QueueName == queue.Name)
            {
                errors.Add(redrive.Location, "deadLetterQueue", $"queue '{queue.Name}' names itself as its dead-letter queue.", "point \"deadLetterQueue\" at a separate queue, e.g. '" + DlqSuggestion(queue) + "'.");
            }
            else if (!queues.TryGetValue(redrive.QueueName, out QueueSeed? target))
            {
                string? nearest = NearestName(redrive.QueueName, queues.Keys.Where(k => k != queue.Name));
                errors.Add(redrive.Location, "deadLetterQueue", $"dead-letter queue '{redrive.QueueName}' is not a queue of this plan.",
                    nearest is not null
                        ? $"did you mean '{nearest}'? Otherwise add a queue named '{redrive.QueueName}' to \"queues\"."
                        : $"add a queue named '{redrive.QueueName}' to \"queues\" (names must match exactly, placeholders included).");
            }
            else if (target.Fifo != queue.Fifo)
            {
                errors.Add(redrive.Location, "deadLetterQueue", $"queue '{queue.Name}' is {(queue.Fifo ? "FIFO" : "standard")} but its dead-letter queue '{target.Name}' is {(target.Fifo ? "FIFO" : "standard")}.",
                    "use a dead-letter queue of the same kind: a FIFO queue's dead-letter queue must be FIFO, a standard queue's must be standard.");
            }
        }

        bool contentDedup = queue.Attributes.TryGetValue(SqsQueueAttributeRules.ContentBasedDeduplication, out string? cbd) && cbd == "true";
        foreach (MessageSeed message in queue.Messages)
        {
            ValidateMessage(queue, message, contentDedup, errors);
        }
    }

    /// <summary>The nearest name, comparing with placeholders removed so "orders-dlq" finds "orders-dlq-{worker}".</summary>
    private static string? NearestName(string name, IEnumerable<string> candidates)
    {
        static string Strip(string value) => value.Replace(Placeholders.Run, string.Empty, StringComparison.Ordinal).Replace(Placeholders.Worker, string.Empty, StringComparison.Ordinal);
        var byStripped = candidates.GroupBy(Strip, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        return Spelling.Nearest(Strip(name), byStripped.Keys) is { } match ? byStripped[match] : null;
    }

    private static string DlqSuggestion(QueueSeed queue) =>
        queue.Fifo ? queue.Name[..^AwsNameRules.FifoSuffix.Length] + "-dlq" + AwsNameRules.FifoSuffix : queue.Name + "-dlq";

    private static void ValidateMessage(QueueSeed queue, MessageSeed message, bool contentDedup, SeedErrors errors)
    {
        if (message.Body.Length == 0)
        {
            errors.Add(message.Location, "body", "the message body is empty; SQS requires at least one character.", "give the message a body, or remove it.");
        }
        else if (Encoding.UTF8.GetByteCount(message.Body) > MaxMessageBytes)
        {
            errors.Add(message.Location, "body", $"the message body is larger than {MaxMessageBytes} bytes.", "put large payloads in S3 and send a reference.");
        }
        else if (FirstInvalidSqsChar(message.Body) is { } bad)
        {
            errors.Add(message.Location, "body", $"the message body contains U+{bad:X4}, which SQS rejects.", "remove control characters other than tab, newline and carriage return.");
        }

        if (queue.Fifo)
        {
            if (string.IsNullOrEmpty(message.GroupId))
            {
                errors.Add(message.Location, "groupId", $"queue '{queue.Name}' is FIFO, so each message needs a group id.", "add \"groupId\" (e.g. \"default\") to the message.");
            }
            else if (!IsFifoId(message.GroupId))
            {
                errors.Add(message.Location, "groupId", $"groupId '{message.GroupId}' is not valid.", $"use 1-{MaxFifoIdLength} letters, digits or punctuation.");
            }

            if (message.DeduplicationId is null && !contentDedup)
            {
                errors.Add(message.Location, "deduplicationId", $"queue '{queue.Name}' is FIFO without ContentBasedDeduplication, so each message needs a deduplication id.",
                    "add a unique \"deduplicationId\" to the message, or set the queue attribute \"ContentBasedDeduplication\": \"true\".");
            }
            else if (message.DeduplicationId is { } dedup && !IsFifoId(dedup))
            {
                errors.Add(message.Location, "deduplicationId", $"deduplicationId '{dedup}' is not valid.", $"use 1-{MaxFifoIdLength} letters, digits or punctuation.");
            }
        }
        else
        {
            if (message.GroupId is not null)
            {
                errors.Add(message.Location, "groupId", $"queue '{queue.Name}' is a standard queue; groupId applies only to FIFO queues.", "remove \"groupId\", or make the queue FIFO.");
            }

            if (message.DeduplicationId is not null)
            {
                errors.Add(message.Location, "deduplicationId", $"queue '{queue.Name}' is a standard queue; deduplicationId applies only to FIFO queues.", "remove \"deduplicationId\", or make the queue FIFO.");
            }
        }

        if (message.Attributes.Count > MaxMessageAttributes)
        {
            errors.Add(message.Location, "attributes", $"the message has {message.Attributes.Count} attributes; SQS allows {MaxMessageAttributes}.", "remove attributes or move data into the body.");
        }

        foreach ((string name, MessageAttributeSeed attribute) in message.Attributes)
        {
            string pointer = message.Location.PointerOf("attributes", name);
            int? line = message.Location.LineOf("attributes", name);
            if (!IsMessageAttributeName(name))
            {
                errors.Add(pointer, line, $"message attribute name '{name}' is not valid.", "use up to 256 letters, digits, '_', '-' or '.', not starting with 'AWS.' or 'Amazon.', without '..' and not starting or ending with '.'.");
            }

            string baseType = attribute.DataType.Split('.', 2)[0];
            if (baseType is not ("String" or "Number"))
            {
                errors.Add(pointer, line, $"message attribute '{name}' has data type '{attribute.DataType}'; seeding supports String and Number.", "set \"dataType\" to \"String\" or \"Number\" (optionally with a suffix such as \"Number.int\").");
            }
            else if (attribute.Value.Length == 0)
            {
                errors.Add(pointer, line, $"message attribute '{name}' has an empty value.", "give it a value, or remove it.");
            }
            else if (baseType == "Number" && !decimal.TryParse(attribute.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                errors.Add(pointer, line, $"message attribute '{name}' is a Number but its value '{attribute.Value}' is not a number.", "write the value as a decimal number, e.g. \"42\" or \"3.5\", or use dataType \"String\".");
            }
        }
    }

    private static void CheckRedriveCycles(SeedPlan plan, Dictionary<string, QueueSeed> queues, SeedErrors errors)
    {
        foreach (QueueSeed start in plan.Queues)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal) { start.Name };
            QueueSeed current = start;
            while (current.DeadLetter is { } redrive && redrive.QueueName != current.Name && queues.TryGetValue(redrive.QueueName, out QueueSeed? next))
            {
                if (next.Name == start.Name)
                {
                    errors.Add(start.Location, "redrive", $"queue '{start.Name}' is part of a dead-letter cycle ({string.Join(" -> ", seen)} -> {start.Name}).", "break the cycle: a dead-letter queue must not (directly or indirectly) redrive back to its source.");
                    break;
                }

                if (!seen.Add(next.Name))
                {
                    break;
                }

                current = next;
            }
        }
    }

    private static bool CheckName(SeedLocation location, string name, string what, SeedErrors errors, Func<string, bool, string?> rule, string fix)
    {
        if (name.Length == 0)
        {
            errors.Add(location, "name", $"the {what} is empty.", $"set \"name\"; {fix}");
            return false;
        }

        bool ok = true;
        foreach ((string problem, string placeholderFix) in Placeholders.Check(name, what))
        {
            errors.Add(location, "name", problem, placeholderFix);
            ok = false;
        }

        if (!ok)
        {
            return false;
        }

        bool templated = Placeholders.HasAny(name);
        if (rule(templated ? Placeholders.Probe(name) : name, !templated) is { } invalid)
        {
            errors.Add(location, "name", $"{what} '{name}' is invalid: {invalid}.", fix);
            return false;
        }

        return true;
    }

    private static bool IsFifoId(string id) => id.Length is > 0 and <= MaxFifoIdLength && id.All(c => c is >= '!' and <= '~');

    private static bool IsMessageAttributeName(string name) =>
        name.Length is > 0 and <= 256
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')
        && !name.StartsWith('.') && !name.EndsWith('.') && !name.Contains("..", StringComparison.Ordinal)
        && !name.StartsWith("AWS.", StringComparison.OrdinalIgnoreCase) && !name.StartsWith("Amazon.", StringComparison.OrdinalIgnoreCase);

    private static int? FirstInvalidSqsChar(string body)
    {
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < body.Length && char.IsLowSurrogate(body[i + 1]))
                {
                    i++;
                    continue;
                }

                return c;
            }

            bool allowed = c is '\t' or '\n' or '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
            if (!allowed)
            {
                return c;
            }
        }

        return null;
    }
}
