namespace Kumo.Cli;

/// <summary>The parsed arguments of one <c>kumoctl</c> invocation: a verb and <c>--name value</c> options.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> _options;

    private CommandLine(string verb, Dictionary<string, string> options)
    {
        Verb = verb;
        _options = options;
    }

    public string Verb { get; }

    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        if (args.Count == 0 || args[0].StartsWith('-'))
        {
            throw new UsageException("Give a command first: validate, seed, snapshot or dump.");
        }

        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 1; i < args.Count; i++)
        {
            string name = args[i];
            if (!name.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"Unexpected argument '{name}': options are written --name value.");
            }

            int equals = name.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                options[name[2..equals]] = name[(equals + 1)..];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                options[name[2..]] = args[++i];
            }
            else
            {
                options[name[2..]] = "true";
            }
        }

        return new CommandLine(args[0], options);
    }

    public string Required(string name, string example) =>
        _options.TryGetValue(name, out string? value) && value.Length > 0
            ? value
            : throw new UsageException($"{Verb}: --{name} is required, e.g. --{name} {example}.");

    public string? Optional(string name) => _options.GetValueOrDefault(name);

    public int Int(string name, int fallback) =>
        _options.TryGetValue(name, out string? value)
            ? int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int number) && number > 0
                ? number
                : throw new UsageException($"{Verb}: --{name} '{value}' is not a positive whole number.")
            : fallback;

    public Uri Endpoint()
    {
        string value = Required("endpoint", "http://127.0.0.1:4566");
        return Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new UsageException($"{Verb}: --endpoint '{value}' is not an http(s) URL; use the engine's base URL, e.g. http://127.0.0.1:4566.");
    }

    public void RejectUnknown(params string[] known)
    {
        foreach (string name in _options.Keys)
        {
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                throw new UsageException($"{Verb}: unknown option --{name}. Known: {string.Join(", ", known.Select(k => "--" + k))}.");
            }
        }
    }
}

/// <summary>The command line is wrong; the message says how to fix it.</summary>
internal sealed class UsageException(string message) : Exception(message);
