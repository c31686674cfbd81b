var builder = DistributedApplication.CreateBuilder(args);

// The engine comes from configuration (Kumo:Engine, e.g. `dotnet run -- Kumo:Engine=embedded` or Kumo__Engine=embedded):
//   container (default)  the kumo container; needs Docker or Podman
//   embedded             kumo-embedded as a local process (copied next to this AppHost by the project reference)
//   binary               the kumo binary (KUMO_BINARY, or kumo on PATH)
// Process engines start from a snapshot of the seeded state (built once under <repo>/.kumo/snapshots, see KumoSnapshotDirectory); the container seeds
// at every start.
var engine = builder.Configuration["Kumo:Engine"];
IResourceBuilder<IKumoResource> kumo = engine switch
{
    null or "" or "container" => builder.AddKumo("kumo"),
    "embedded" => builder.AddKumoEmbedded("kumo").WithSnapshot(),
    "binary" => builder.AddKumoBinary("kumo").WithSnapshot(),
    _ => throw new DistributedApplicationException($"Kumo:Engine is '{engine}'. Use container (the default), embedded or binary."),
};

// Creates the bucket, the queues and the order-status table once kumo is healthy; the service starts only after the seed succeeded.
kumo.WithSeed("seed/kumo-seed.json");

// The service serves http on loopback (its launch profile) and needs no HTTPS certificate. Saying so keeps the AppHost from
// asking for a trusted development certificate, which a CI machine or a fresh dev box does not have.
#pragma warning disable ASPIRECERTIFICATES001 // Aspire marks the certificate API experimental; it is the documented way to opt out.
builder.AddProject<Projects.OrderService>("orders")
       .WithoutHttpsCertificate()
#pragma warning restore ASPIRECERTIFICATES001
       .WithReference(kumo)
       .WithEnvironment("Orders__Bucket", "orders")
       .WithEnvironment("Orders__Queue", "orders")
       .WithEnvironment("Orders__DeadLetterQueue", "orders-dlq")
       .WithEnvironment("Orders__StatusTable", "order-status")
       .WithEnvironment("Orders__CreateResources", "false")
       .WaitFor(kumo);

builder.Build().Run();
