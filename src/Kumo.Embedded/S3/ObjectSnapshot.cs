using System.Collections;

namespace Kumo.Embedded.S3;

/// <summary>
/// A bucket's objects as a checkpoint takes them: their slots copied while requests wait, ordered by key after, and
/// each made an <see cref="S3Object"/> only as it is written, so a checkpoint of 100,000 objects does not make
/// 100,000 objects at once.
/// </summary>
internal sealed class ObjectSnapshot(StoredObject[] slots) : IReadOnlyList<S3Object>
{
    public int Count => slots.Length;

    public S3Object this[int index] => slots[index].View();

    /// <summary>Orders the objects by key (ordinal, as listings and checkpoints are).</summary>
    public void SortByKey() => Array.Sort(slots, static (a, b) => a.KeySpan.SequenceCompareTo(b.KeySpan));

    /// <summary>
    /// Writes every object as a JSON array element (<see cref="StoredObject.WriteJson"/>), handing the writer's bytes to
    /// its stream whenever more than <paramref name="flushBytes"/> are pending.
    /// </summary>
    public void WriteJson(System.Text.Json.Utf8JsonWriter writer, int flushBytes)
    {
        foreach (StoredObject slot in slots)
        {
            slot.WriteJson(writer);
            if (writer.BytesPending > flushBytes)
            {
                writer.Flush();
            }
        }
    }

    public IEnumerator<S3Object> GetEnumerator()
    {
        foreach (StoredObject slot in slots)
        {
            yield return slot.View();
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
