namespace Kumo.Embedded.DynamoDb;

/// <summary>Keeps only the given document paths of an item (ProjectionExpression, AttributesToGet, UPDATED_OLD/NEW).</summary>
/// <remarks>Nested paths keep their structure (<c>a.b</c> gives <c>{a:{M:{b:…}}}</c>); list elements keep their order, compacted.</remarks>
internal sealed class Projection
{
    private readonly Node _root = new();

    public Projection(IEnumerable<DocumentPath> paths)
    {
        foreach (DocumentPath path in paths)
        {
            Node node = _root;
            foreach (PathStep step in path.Steps)
            {
                node = node.Child(step);
            }

            node.Whole = true;
        }
    }

    public DynamoItem Apply(IReadOnlyDictionary<string, DynamoValue> item)
    {
        DynamoItem result = DynamoItems.New();
        foreach ((PathStep step, Node child) in _root.Children)
        {
            if (item.TryGetValue(step.Name!, out DynamoValue? value) && Project(value, child) is { } projected)
            {
                result[step.Name!] = projected;
            }
        }

        return result;
    }

    private static DynamoValue? Project(DynamoValue value, Node node)
    {
        if (node.Whole)
        {
            return value;
        }

        if (value.Type == DynamoType.M)
        {
            var map = new Dictionary<string, DynamoValue>(StringComparer.Ordinal);
            foreach ((PathStep step, Node child) in node.Children)
            {
                if (!step.IsIndex && value.M.TryGetValue(step.Name!, out DynamoValue? inner) && Project(inner, child) is { } projected)
                {
                    map[step.Name!] = projected;
                }
            }

            return map.Count > 0 ? DynamoValue.FromMap(map) : null;
        }

        if (value.Type == DynamoType.L)
        {
            var list = new List<DynamoValue>();
            foreach ((PathStep step, Node child) in node.Children.Where(c => c.Key.IsIndex).OrderBy(c => c.Key.Index))
            {
                if (step.Index < value.L.Count && Project(value.L[step.Index], child) is { } projected)
                {
                    list.Add(projected);
                }
            }

            return list.Count > 0 ? DynamoValue.FromList(list) : null;
        }

        return null;
    }

    private sealed class Node
    {
        public Dictionary<PathStep, Node> Children { get; } = [];

        public bool Whole { get; set; }

        public Node Child(PathStep step)
        {
            if (!Children.TryGetValue(step, out Node? child))
            {
                child = new Node();
                Children.Add(step, child);
            }

            return child;
        }
    }
}
