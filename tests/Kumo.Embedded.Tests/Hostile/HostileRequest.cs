using System.Text;

namespace Kumo.Embedded.Tests.Hostile;

/// <summary>One generated request of the hostile-input sweep.</summary>
internal sealed record HostileRequest(string Description, string Method, string Target, string[] Headers, byte[] Body)
{
    public static HostileRequest Of(string description, string method, string target, params string[] headers) =>
        new(description, method, target, headers, []);

    public static HostileRequest WithBody(string description, string method, string target, string body, params string[] headers) =>
        new(description, method, target, headers, Encoding.UTF8.GetBytes(body));

    public static HostileRequest WithBytes(string description, string method, string target, byte[] body, params string[] headers) =>
        new(description, method, target, headers, body);

    public override string ToString() => Description;
}
