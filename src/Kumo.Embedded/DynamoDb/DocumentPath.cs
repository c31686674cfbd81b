using System.Text;

namespace Kumo.Embedded.DynamoDb;

/// <summary>One step of a document path: an attribute or map key name, or a list index.</summary>
internal readonly record struct PathStep(string? Name, int Index)
{
    public static PathStep Key(string name) => new(name, -1);

    public static PathStep At(int index) => new(null, index);

    public bool IsIndex => Name is null;
}

/// <summary>A document path such as <c>a.b[2].c</c>, resolved (no placeholders left).</summary>
internal sealed class DocumentPath
{
    public DocumentPath(IReadOnlyList<PathStep> steps)
    {
        Steps = steps;
    }

    public IReadOnlyList<PathStep> Steps { get; }

    /// <summary>The top-level attribute the path starts at.</summary>
    public string Attribute => Steps[0].Name!;

    public static DocumentPath Of(string attribute) => new([PathStep.Key(attribute)]);

    /// <summary>The value at the path in the item, or null when any step is missing or of the wrong type.</summary>
    public DynamoValue? Resolve(IReadOnlyDictionary<string, DynamoValue> item)
    {
        if (!item.TryGetValue(Attribute, out DynamoValue? current))
        {
            return null;
        }

        for (int i = 1; i < Steps.Count; i++)
        {
            PathStep step = Steps[i];
            if (step.IsIndex)
            {
                if (current.Type != DynamoType.L || step.Index >= current.L.Count)
                {
                    return null;
                }

                current = current.L[step.Index];
            }
            else
            {
                if (current.Type != DynamoType.M || !current.M.TryGetValue(step.Name!, out DynamoValue? next))
                {
                    return null;
                }

                current = next;
            }
        }

        return current;
    }

    /// <summary>True when one path is a prefix of the other (the same path included).</summary>
    public bool Overlaps(DocumentPath other)
    {
        int n = Math.Min(Steps.Count, other.Steps.Count);
        for (int i = 0; i < n; i++)
        {
            if (Steps[i] != other.Steps[i])
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (PathStep step in Steps)
        {
            if (step.IsIndex)
            {
                text.Append('[').Append(step.Index).Append(']');
            }
            else
            {
                if (text.Length > 0)
                {
                    text.Append('.');
                }

                text.Append(step.Name);
            }
        }

        return text.ToString();
    }

    /// <summary>The path as AWS prints it in messages: <c>[a, b, [2]]</c>.</summary>
    public string ToListText() => "[" + string.Join(", ", Steps.Select(s => s.IsIndex ? $"[{s.Index}]" : s.Name)) + "]";
}
