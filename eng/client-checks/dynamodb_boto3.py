"""DynamoDB through boto3 (client, resource, waiters, paginators, batch writer): typed errors, expressions, decimals.

Usage: eng/client-checks/install.sh && python3 eng/client-checks/dynamodb_boto3.py http://127.0.0.1:4566
"""
import decimal
import sys

import boto3
import botocore
from boto3.dynamodb.conditions import Attr, Key

endpoint = sys.argv[1]
settings = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="test", aws_secret_access_key="test")
client = boto3.client("dynamodb", **settings)
table = boto3.resource("dynamodb", **settings).Table("boto3-orders")
failures = []


def check(name, step):
    try:
        step()
        print("ok  ", name)
    except Exception as error:  # noqa: BLE001 - every failure is reported, the run goes on
        failures.append(name)
        print("FAIL", name, repr(error)[:300])


def expect(condition, what):
    if not condition:
        raise AssertionError(what)


def expect_error(exception_type, step):
    try:
        step()
    except exception_type as error:
        return error
    raise AssertionError(f"expected {exception_type.__name__}")


def create():
    client.create_table(
        TableName="boto3-orders",
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": t} for n, t in (("pk", "S"), ("sk", "N"), ("g", "S"))],
        GlobalSecondaryIndexes=[{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}], "Projection": {"ProjectionType": "ALL"}}],
    )
    client.get_waiter("table_exists").wait(TableName="boto3-orders", WaiterConfig={"Delay": 1, "MaxAttempts": 5})


def put_and_get():
    for i in range(10):
        table.put_item(Item={"pk": "a", "sk": i, "g": "x", "price": decimal.Decimal("0.1") * i, "tags": {"a", "b"}, "m": {"l": [1, "two", None, True]}})
    item = table.get_item(Key={"pk": "a", "sk": 3})["Item"]
    expect(item["price"] == decimal.Decimal("0.3") and item["m"]["l"][1] == "two", item)


def queries():
    expect(len(table.query(KeyConditionExpression=Key("pk").eq("a") & Key("sk").between(2, 4))["Items"]) == 3, "between")
    expect(table.query(IndexName="by-g", KeyConditionExpression=Key("g").eq("x"), FilterExpression=Attr("price").gte(decimal.Decimal("0.5")))["Count"] == 5, "gsi + filter")
    pages = client.get_paginator("scan").paginate(TableName="boto3-orders", PaginationConfig={"PageSize": 3})
    expect(sum(len(page["Items"]) for page in pages) == 10, "paginated scan")


def update():
    item = table.update_item(
        Key={"pk": "a", "sk": 1},
        UpdateExpression="SET #c = if_not_exists(#c, :z) + :one ADD tags :t",
        ExpressionAttributeNames={"#c": "count"},
        ExpressionAttributeValues={":z": 0, ":one": 1, ":t": {"c"}},
        ReturnValues="ALL_NEW",
    )["Attributes"]
    expect(item["count"] == 1 and item["tags"] == {"a", "b", "c"}, item)


def conditional_failure():
    error = expect_error(client.exceptions.ConditionalCheckFailedException, lambda: client.put_item(
        TableName="boto3-orders", Item={"pk": {"S": "a"}, "sk": {"N": "1"}},
        ConditionExpression="attribute_not_exists(pk)", ReturnValuesOnConditionCheckFailure="ALL_OLD"))
    expect(error.response["Item"]["pk"]["S"] == "a", error.response)


def transaction():
    error = expect_error(client.exceptions.TransactionCanceledException, lambda: client.transact_write_items(TransactItems=[
        {"Put": {"TableName": "boto3-orders", "Item": {"pk": {"S": "z"}, "sk": {"N": "1"}}}},
        {"ConditionCheck": {"TableName": "boto3-orders", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}}, "ConditionExpression": "attribute_not_exists(pk)"}},
    ]))
    expect([r["Code"] for r in error.response["CancellationReasons"]] == ["None", "ConditionalCheckFailed"], error.response)


def batches():
    with table.batch_writer() as writer:
        for i in range(60):
            writer.put_item(Item={"pk": "bw", "sk": i})
    expect(table.query(KeyConditionExpression=Key("pk").eq("bw"), Select="COUNT")["Count"] == 60, "batch writer")
    got = client.batch_get_item(RequestItems={"boto3-orders": {"Keys": [{"pk": {"S": "a"}, "sk": {"N": str(i)}} for i in (1, 2)]}})
    expect(len(got["Responses"]["boto3-orders"]) == 2, got)


def errors():
    expect_error(client.exceptions.ResourceNotFoundException, lambda: client.get_item(TableName="boto3-missing", Key={"pk": {"S": "a"}}))
    error = expect_error(botocore.exceptions.ClientError, lambda: client.update_item(
        TableName="boto3-orders", Key={"pk": {"S": "a"}, "sk": {"N": "1"}}, UpdateExpression="SET name = :v", ExpressionAttributeValues={":v": {"S": "x"}}))
    expect(error.response["Error"]["Code"] == "ValidationException", error.response)


def settings_and_delete():
    client.update_time_to_live(TableName="boto3-orders", TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})
    arn = client.describe_table(TableName="boto3-orders")["Table"]["TableArn"]
    client.tag_resource(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
    expect(client.list_tags_of_resource(ResourceArn=arn)["Tags"] == [{"Key": "k", "Value": "v"}], "tags")
    client.delete_table(TableName="boto3-orders")


for name, step in [("create + waiter", create), ("put/get with decimals and sets", put_and_get), ("query, GSI, paginator", queries),
                   ("update expression", update), ("ConditionalCheckFailedException with item", conditional_failure),
                   ("TransactionCanceledException reasons", transaction), ("batch writer, batch get", batches),
                   ("typed errors", errors), ("TTL, tags, delete", settings_and_delete)]:
    check(name, step)
print("all DynamoDB boto3 checks passed" if not failures else f"{len(failures)} check(s) failed: {failures}")
sys.exit(1 if failures else 0)
