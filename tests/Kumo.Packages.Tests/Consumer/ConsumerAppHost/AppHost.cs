var builder = DistributedApplication.CreateBuilder(args);

// No engine path and no setting: the engine comes with the Kumo.Aspire.Hosting package.
builder.AddKumoEmbedded("kumo")
       .WithSeed(plan => plan
           .FixtureVersion("v1")
           .Bucket("consumer-bucket", bucket => bucket.Object("hello.txt", "hello from the packages"))
           .Queue("consumer-jobs", queue => queue.Message("job-1")));

builder.Build().Run();
