namespace Kumo.Seeding;

/// <summary>The phases of a seed run, in order.</summary>
public enum SeedPhase
{
    /// <summary>Creating missing buckets and queues (dead-letter queues before their sources).</summary>
    CreateContainers,

    /// <summary>Uploading missing or changed objects and sending messages.</summary>
    Populate,

    /// <summary>Reading everything back and comparing it with the plan.</summary>
    Verify,
}
