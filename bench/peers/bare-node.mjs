// The HTTP ceiling of Node.js for bench/peers/run.sh (target bare-node): the requests of the side-by-side benchmark
// answered by node's own `http` module with no emulator behind them, as bench/MinimalKestrel answers them for
// Kestrel. A PUT reads its whole body, hashes it with MD5 and answers 200 with that ETag (what any S3 PutObject must
// compute; no store); any other GET
// answers a 4 KiB body held in memory; a DELETE answers 204 (an S3 DeleteObject's answer); a POST (SQS JSON 1.0) reads its body and answers a fixed
// document by its X-Amz-Target: a ReceiveMessage one message with its receipt handle (as the engine answers it), a DeleteMessage {}, anything else (a
// SendMessage) a small SendMessage answer. Usage: node bare-node.mjs <port> (listens on 127.0.0.1).
import http from 'node:http';
import { createHash } from 'node:crypto';

const port = Number(process.argv[2] ?? 0);
const objectBody = Buffer.alloc(4096, 'x');
const health = Buffer.from('{"status":"healthy"}');
const sent = Buffer.from('{"MD5OfMessageBody":"0b7dc6e2b6fe3a8ba9b8c4a1a4fc9e3b","MessageId":"5fea7756-0ea4-451a-a703-a558b933e274"}');
const etag = '"0b7dc6e2b6fe3a8ba9b8c4a1a4fc9e3b"';
const received = Buffer.from('{"Messages":[{"MessageId":"4002ae9c-9887-4da7-0000-000000000003","ReceiptHandle":"a3VtbzEKYmVuY2gKNDAwMmFlOWMtOTg4Ny00ZGE3LTAwMDAtMDAwMDAwMDAwMDAzCjE",'
  + `"MD5OfBody":"1ad9692ca2a96eb029eb5f723e011552","Body":"${'m'.repeat(256)}"}]}`);
const deleted = Buffer.from('{}');

// Reads the request body to its end and drops it, then answers.
function drain(request, answer) {
  request.on('data', () => {});
  request.on('end', answer);
}

const server = http.createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/health') {
    response.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': health.length });
    response.end(health);
  } else if (request.method === 'PUT') {
    const md5 = createHash('md5');
    request.on('data', (chunk) => md5.update(chunk));
    request.on('end', () => {
      response.writeHead(200, { ETag: `"${md5.digest('hex')}"`, 'Content-Length': 0 });
      response.end();
    });
  } else if (request.method === 'GET') {
    response.writeHead(200, { 'Content-Type': 'application/octet-stream', ETag: etag, 'Content-Length': objectBody.length });
    response.end(objectBody);
  } else if (request.method === 'DELETE') {
    response.writeHead(204);
    response.end();
  } else if (request.method === 'POST') {
    const target = request.headers['x-amz-target'] ?? '';
    const document = target === 'AmazonSQS.ReceiveMessage' ? received : target === 'AmazonSQS.DeleteMessage' ? deleted : sent;
    drain(request, () => {
      response.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0', 'Content-Length': document.length });
      response.end(document);
    });
  } else {
    response.writeHead(404, { 'Content-Length': 0 });
    response.end();
  }
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => console.log(`KUMO_ENDPOINT=http://127.0.0.1:${server.address().port}`));
