namespace Kumo.Embedded.DynamoDb;

/// <summary>Applies UpdateExpression actions to an item, every operand read from the item as it was before the update.</summary>
internal static class UpdateApplier
{
    private const string Kind = "UpdateExpression";

    /// <returns>The new item (the old one is not changed).</returns>
    public static DynamoItem Apply(IReadOnlyDictionary<string, DynamoValue> old, IReadOnlyList<UpdateAction> actions)
    {
        // Every right-hand side is evaluated against the old item first, as DynamoDB does.
        var computed = new List<(UpdateAction Action, DynamoValue? Value)>(actions.Count);
        foreach (UpdateAction action in actions)
        {
            computed.Add((action, action switch
            {
                SetAction set => Evaluate(set.Value, old),
                AddAction add => Add(add, old),
                DeleteAction delete => Delete(delete, old),
                _ => null,
            }));
        }

        DynamoItem item = DynamoItems.Copy(old);

        // REMOVE of list elements shifts later elements: apply removals from the highest index down.
        foreach ((UpdateAction action, DynamoValue? value) in computed
            .OrderBy(c => c.Action is RemoveAction ? 1 : 0)
            .ThenByDescending(c => c.Action is RemoveAction r && r.Path.Steps[^1].IsIndex ? r.Path.Steps[^1].Index : -1))
        {
            if (value is null)
            {
                Remove(item, action.Path);
            }
            else
            {
                Put(item, action.Path, value);
            }
        }

        return item;
    }

    private static DynamoValue Evaluate(SetValue value, IReadOnlyDictionary<string, DynamoValue> old)
    {
        switch (value)
        {
            case SetOperand operand:
                return ConditionEvaluator.Resolve(operand.Operand, old)
                    ?? throw DynamoErrors.Validation($"The provided expression refers to an attribute that does not exist in the item");
            case IfNotExists ifNotExists:
                return ifNotExists.Path.Resolve(old) ?? Evaluate(ifNotExists.Fallback, old);
            case ListAppend append:
                DynamoValue first = Evaluate(append.First, old);
                DynamoValue second = Evaluate(append.Second, old);
                if (first.Type != DynamoType.L || second.Type != DynamoType.L)
                {
                    throw DynamoErrors.Validation($"Invalid {Kind}: Incorrect operand type for operator or function; operator or function: list_append, operand type: {(first.Type != DynamoType.L ? first.Type : second.Type)}");
                }

                return DynamoValue.FromList([.. first.L, .. second.L]);
            case SetArithmetic arithmetic:
                DynamoValue left = Evaluate(arithmetic.Left, old);
                DynamoValue right = Evaluate(arithmetic.Right, old);
                if (left.Type != DynamoType.N || right.Type != DynamoType.N)
                {
                    throw DynamoErrors.Validation($"An operand in the update expression has an incorrect data type");
                }

                return DynamoValue.FromNumber(left.N.Add(arithmetic.Plus ? right.N : right.N.Negate()));
            default:
                throw new InvalidOperationException($"Unknown SET value {value.GetType().Name}.");
        }
    }

    private static DynamoValue Add(AddAction add, IReadOnlyDictionary<string, DynamoValue> old)
    {
        DynamoValue? current = add.Path.Resolve(old);
        if (current is null)
        {
            return add.Value;
        }

        if (current.Type != add.Value.Type)
        {
            throw DynamoErrors.Validation("An operand in the update expression has an incorrect data type");
        }

        return current.Type switch
        {
            DynamoType.N => DynamoValue.FromNumber(current.N.Add(add.Value.N)),
            DynamoType.SS => DynamoValue.FromStringSet([.. current.SS.Union(add.Value.SS, StringComparer.Ordinal)]),
            DynamoType.NS => DynamoValue.FromNumberSet([.. current.NS.Union(add.Value.NS)]),
            _ => DynamoValue.FromBinarySet([.. current.BS, .. add.Value.BS.Where(b => !current.BS.Any(c => c.AsSpan().SequenceEqual(b)))]),
        };
    }

    /// <returns>The remaining set, or null when nothing remains (the attribute is removed).</returns>
    private static DynamoValue? Delete(DeleteAction delete, IReadOnlyDictionary<string, DynamoValue> old)
    {
        DynamoValue? current = delete.Path.Resolve(old);
        if (current is null)
        {
            return null;
        }

        if (current.Type != delete.Value.Type)
        {
            throw DynamoErrors.Validation("An operand in the update expression has an incorrect data type");
        }

        DynamoValue rest = current.Type switch
        {
            DynamoType.SS => current.SS.Except(delete.Value.SS, StringComparer.Ordinal).ToList() is { Count: > 0 } ss ? DynamoValue.FromStringSet(ss) : DynamoValue.Null,
            DynamoType.NS => current.NS.Except(delete.Value.NS).ToList() is { Count: > 0 } ns ? DynamoValue.FromNumberSet(ns) : DynamoValue.Null,
            _ => current.BS.Where(b => !delete.Value.BS.Any(d => d.AsSpan().SequenceEqual(b))).ToList() is { Count: > 0 } bs ? DynamoValue.FromBinarySet(bs) : DynamoValue.Null,
        };
        return rest.Type == DynamoType.NULL ? null : rest;
    }

    private static void Put(DynamoItem item, DocumentPath path, DynamoValue value)
    {
        if (path.Steps.Count == 1)
        {
            item[path.Attribute] = value;
            return;
        }

        if (!item.TryGetValue(path.Attribute, out DynamoValue? root))
        {
            throw InvalidPath();
        }

        item[path.Attribute] = Replace(root, path.Steps, 1, value);
    }

    private static void Remove(DynamoItem item, DocumentPath path)
    {
        if (path.Steps.Count == 1)
        {
            item.Remove(path.Attribute);
            return;
        }

        if (item.TryGetValue(path.Attribute, out DynamoValue? root) && Replace(root, path.Steps, 1, null) is { } replaced)
        {
            item[path.Attribute] = replaced;
        }
    }

    /// <summary>Returns <paramref name="container"/> with the value at steps[index..] replaced (or removed when <paramref name="value"/> is null).</summary>
    private static DynamoValue Replace(DynamoValue container, IReadOnlyList<PathStep> steps, int index, DynamoValue? value)
    {
        PathStep step = steps[index];
        bool last = index == steps.Count - 1;
        if (step.IsIndex)
        {
            if (container.Type != DynamoType.L)
            {
                if (value is null)
                {
                    return container;
                }

                throw InvalidPath();
            }

            var list = container.L.ToList();
            if (last)
            {
                if (value is null)
                {
                    if (step.Index < list.Count)
                    {
                        list.RemoveAt(step.Index);
                    }
                }
                else if (step.Index >= list.Count)
                {
                    list.Add(value);
                }
                else
                {
                    list[step.Index] = value;
                }
            }
            else
            {
                if (step.Index >= list.Count)
                {
                    if (value is null)
                    {
                        return container;
                    }

                    throw InvalidPath();
                }

                list[step.Index] = Replace(list[step.Index], steps, index + 1, value);
            }

            return DynamoValue.FromList(list);
        }

        if (container.Type != DynamoType.M)
        {
            if (value is null)
            {
                return container;
            }

            throw InvalidPath();
        }

        var map = new Dictionary<string, DynamoValue>(container.M, StringComparer.Ordinal);
        if (last)
        {
            if (value is null)
            {
                map.Remove(step.Name!);
            }
            else
            {
                map[step.Name!] = value;
            }
        }
        else
        {
            if (!map.TryGetValue(step.Name!, out DynamoValue? child))
            {
                if (value is null)
                {
                    return container;
                }

                throw InvalidPath();
            }

            map[step.Name!] = Replace(child, steps, index + 1, value);
        }

        return DynamoValue.FromMap(map);
    }

    private static Exception InvalidPath() => DynamoErrors.Validation("The document path provided in the update expression is invalid for update");
}
