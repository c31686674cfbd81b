// DynamoDB through the JS SDK v3 (client-dynamodb + lib-dynamodb document client): typed errors, expressions, pagination, transactions.
// Usage: eng/client-checks/install.sh && node eng/client-checks/dynamodb-js-v3.mjs http://127.0.0.1:4566
import * as ddb from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, GetCommand, QueryCommand, UpdateCommand, TransactWriteCommand, paginateScan } from "@aws-sdk/lib-dynamodb";
const ep = process.argv[2];
const raw = new ddb.DynamoDBClient({ endpoint: ep, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });
const doc = DynamoDBDocumentClient.from(raw);
const T = "js-v3-orders";
let failed = 0;
async function check(name, fn) {
  try { await fn(); console.log("ok  ", name); } catch (e) { failed++; console.log("FAIL", name, e?.name, e?.message); }
}
async function expectError(type, fn) {
  try { await fn(); } catch (e) { if (e instanceof ddb[type]) return e; throw new Error(`expected ${type}, got ${e?.name}: ${e?.message}`); }
  throw new Error(`expected ${type}, got success`);
}
function assert(cond, what) { if (!cond) throw new Error(what); }
await check("CreateTable", () => raw.send(new ddb.CreateTableCommand({ TableName: T, BillingMode: "PAY_PER_REQUEST", KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }, { AttributeName: "sk", KeyType: "RANGE" }], AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }, { AttributeName: "sk", AttributeType: "N" }] })));
await check("waitUntilTableExists", () => ddb.waitUntilTableExists({ client: raw, maxWaitTime: 30, minDelay: 1, maxDelay: 2 }, { TableName: T }));
await check("ResourceInUseException", () => expectError("ResourceInUseException", () => raw.send(new ddb.CreateTableCommand({ TableName: T, BillingMode: "PAY_PER_REQUEST", KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }], AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }] }))));
await check("Put (document)", async () => { for (let i = 0; i < 12; i++) await doc.send(new PutCommand({ TableName: T, Item: { pk: "c1", sk: i, total: i * 1.5, tags: new Set(["a"]), nested: { list: [1, "x", null, true] } } })); });
await check("Get (document)", async () => { const r = await doc.send(new GetCommand({ TableName: T, Key: { pk: "c1", sk: 3 } })); assert(r.Item.total === 4.5 && r.Item.nested.list[1] === "x", JSON.stringify(r.Item)); });
await check("Query range + filter", async () => { const r = await doc.send(new QueryCommand({ TableName: T, KeyConditionExpression: "pk = :p AND sk BETWEEN :a AND :b", FilterExpression: "#t > :t", ExpressionAttributeNames: { "#t": "total" }, ExpressionAttributeValues: { ":p": "c1", ":a": 2, ":b": 8, ":t": 6 }, ScanIndexForward: false })); assert(JSON.stringify(r.Items.map(i => i.sk)) === "[8,7,6,5]", JSON.stringify(r.Items.map(i => i.sk))); });
await check("paginateScan", async () => { let n = 0; for await (const page of paginateScan({ client: doc, pageSize: 5 }, { TableName: T })) n += page.Items.length; assert(n === 12, `scanned ${n}`); });
await check("Update with arithmetic", async () => { const r = await doc.send(new UpdateCommand({ TableName: T, Key: { pk: "c1", sk: 1 }, UpdateExpression: "SET #t = #t + :d, seen = list_append(if_not_exists(seen, :e), :s)", ExpressionAttributeNames: { "#t": "total" }, ExpressionAttributeValues: { ":d": 0.25, ":e": [], ":s": ["x"] }, ReturnValues: "ALL_NEW" })); assert(r.Attributes.total === 1.75 && r.Attributes.seen.length === 1, JSON.stringify(r.Attributes)); });
await check("ConditionalCheckFailedException + Item", async () => { const e = await expectError("ConditionalCheckFailedException", () => raw.send(new ddb.PutItemCommand({ TableName: T, Item: { pk: { S: "c1" }, sk: { N: "1" } }, ConditionExpression: "attribute_not_exists(pk)", ReturnValuesOnConditionCheckFailure: "ALL_OLD" }))); assert(e.Item?.pk?.S === "c1", JSON.stringify(e.Item)); });
await check("TransactionCanceledException reasons", async () => { const e = await expectError("TransactionCanceledException", () => doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName: T, Item: { pk: "c9", sk: 1 } } }, { ConditionCheck: { TableName: T, Key: { pk: "c1", sk: 1 }, ConditionExpression: "attribute_not_exists(pk)" } }] }))); assert(JSON.stringify(e.CancellationReasons.map(r => r.Code)) === '["None","ConditionalCheckFailed"]', JSON.stringify(e.CancellationReasons)); });
await check("ResourceNotFoundException", () => expectError("ResourceNotFoundException", () => doc.send(new GetCommand({ TableName: "js-v3-missing", Key: { pk: "a", sk: 1 } }))));
await check("ValidationException (reserved word)", async () => { try { await doc.send(new UpdateCommand({ TableName: T, Key: { pk: "c1", sk: 1 }, UpdateExpression: "SET name = :v", ExpressionAttributeValues: { ":v": "x" } })); throw new Error("no error"); } catch (e) { assert(e.name === "ValidationException" && /reserved keyword: name/.test(e.message), e.name + " " + e.message); } });
await check("DeleteTable", () => raw.send(new ddb.DeleteTableCommand({ TableName: T })));
console.log(failed === 0 ? "all DynamoDB JS SDK v3 checks passed" : `${failed} check(s) failed`);
process.exit(failed === 0 ? 0 : 1);
