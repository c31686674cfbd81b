namespace Kumo.Contract;

/// <summary>Whose naming rules a name is checked against.</summary>
public enum NameStrictness
{
    /// <summary>What AWS accepts: a name that passes also works on AWS. Seed plans and generated names use this.</summary>
    Aws,

    /// <summary>
    /// What kumo (and the embedded engine) accepts: AWS's rules without the reserved prefixes and suffixes AWS
    /// added later (<c>sthree-</c>, <c>amzn-s3-demo-</c>, <c>--ol-s3</c>, <c>.mrap</c>, <c>--x-s3</c>,
    /// <c>--table-s3</c>). An engine must not reject what kumo accepts.
    /// </summary>
    Kumo,
}
