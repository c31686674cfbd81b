using OrderService;

// Configuration comes from the wiring contract (ConnectionStrings__kumo or AWS_ENDPOINT_URL, injected by the
// Aspire AppHost or set by hand) and the Orders__* variables; see README.md.
await using WebApplication app = OrderServiceApp.Build(args);
await app.RunAsync();
