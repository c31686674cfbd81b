// Every S3 operation on a missing bucket must answer NoSuchBucket (404), with the JS SDK v3.
// Usage: eng/client-checks/install.sh && node eng/client-checks/missing-bucket-js-v3.mjs http://127.0.0.1:4566
import { S3Client } from "@aws-sdk/client-s3";
import * as s3 from "@aws-sdk/client-s3";
const ep = process.argv[2];
const c = new S3Client({ endpoint: ep, forcePathStyle: true, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });
const B = "missing-bkt";
const ops = [
  ["HeadBucket", { Bucket: B }], ["GetBucketLocation", { Bucket: B }], ["GetBucketVersioning", { Bucket: B }], ["PutBucketVersioning", { Bucket: B, VersioningConfiguration: { Status: "Enabled" } }],
  ["ListObjects", { Bucket: B }], ["ListObjectsV2", { Bucket: B }], ["ListObjectVersions", { Bucket: B }], ["ListMultipartUploads", { Bucket: B }], ["DeleteBucket", { Bucket: B }],
  ["GetBucketAcl", { Bucket: B }], ["GetBucketPolicy", { Bucket: B }], ["GetBucketTagging", { Bucket: B }], ["GetBucketCors", { Bucket: B }], ["PutBucketTagging", { Bucket: B, Tagging: { TagSet: [{ Key: "a", Value: "b" }] } }],
  ["PutObject", { Bucket: B, Key: "k", Body: "x" }], ["GetObject", { Bucket: B, Key: "k" }], ["HeadObject", { Bucket: B, Key: "k" }], ["DeleteObject", { Bucket: B, Key: "k" }],
  ["DeleteObjects", { Bucket: B, Delete: { Objects: [{ Key: "k" }] } }], ["CopyObject", { Bucket: B, Key: "k", CopySource: "other/k" }], ["CreateMultipartUpload", { Bucket: B, Key: "k" }],
  ["UploadPart", { Bucket: B, Key: "k", UploadId: "u", PartNumber: 1, Body: "x" }], ["CompleteMultipartUpload", { Bucket: B, Key: "k", UploadId: "u", MultipartUpload: { Parts: [{ PartNumber: 1, ETag: "e" }] } }],
  ["AbortMultipartUpload", { Bucket: B, Key: "k", UploadId: "u" }], ["ListParts", { Bucket: B, Key: "k", UploadId: "u" }], ["GetObjectTagging", { Bucket: B, Key: "k" }], ["GetObjectAttributes", { Bucket: B, Key: "k", ObjectAttributes: ["ETag"] }],
];
let wrong = 0;
for (const [name, input] of ops) {
  let code, status;
  try { await c.send(new s3[name + "Command"](input)); code = "OK"; status = 200; }
  catch (e) { code = e.name; status = e.$metadata?.httpStatusCode; }
  const ok = code === "NoSuchBucket" || ((name === "HeadBucket" || name === "HeadObject") && status === 404);
  if (!ok) { wrong++; console.log("WRONG", name, status, code); }
}
console.log(`checked ${ops.length}, wrong ${wrong}`);
process.exit(wrong ? 1 : 0);
