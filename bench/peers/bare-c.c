// The HTTP ceiling of this machine for bench/peers/run.sh (target bare-c): the requests of the side-by-side benchmark
// answered by the least a server can do, as bench/MinimalKestrel answers them for Kestrel and bare-node.mjs for node.
// One thread, one epoll loop, non-blocking sockets, no framework: it reads a request's head, finds its Content-Length,
// reads the body and answers from fixed bytes. A PUT hashes its body with MD5 (OpenSSL) and answers 200 with that
// ETag (what any S3 PutObject must compute; no store); any other GET answers a 4 KiB body; a DELETE answers 204; a
// POST (SQS JSON 1.0) answers a fixed document by its X-Amz-Target: a ReceiveMessage one message with its receipt
// handle (as the engine answers it), a DeleteMessage {}, anything else (a SendMessage) a small SendMessage answer. No server written in any language can
// answer these requests for less, so its rate over fauxqs's is how far ahead of the best peer a server can be here.
// Not a general server: Content-Length bodies only (chunked gets 501), heads up to 16 KiB.
// Build: cc -O2 -o bare-c bare-c.c -lcrypto   Usage: bare-c [port] (listens on 127.0.0.1; without a port, $KUMO_PORT;
// 0 or neither = any free port).
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

enum { HeadLimit = 16 * 1024, BodyLimit = 64 * 1024 * 1024 };

typedef struct {
    int fd;
    char *buffer;
    size_t length, capacity;
} Connection;

static char object_body[4096];
static const char health[] = "{\"status\":\"healthy\"}";
static const char sent[] = "{\"MD5OfMessageBody\":\"0b7dc6e2b6fe3a8ba9b8c4a1a4fc9e3b\","
                           "\"MessageId\":\"5fea7756-0ea4-451a-a703-a558b933e274\"}";
static char received[1024];
static const char deleted[] = "{}";

// Finds a header's value in a request head (case-insensitive name); NULL when absent.
static const char *header(const char *head, size_t length, const char *name) {
    size_t name_length = strlen(name);
    const char *line = memchr(head, '\n', length);
    while (line && (size_t)(line - head) + 1 + name_length + 1 < length) {
        line++;
        if (strncasecmp(line, name, name_length) == 0 && line[name_length] == ':') {
            const char *value = line + name_length + 1;
            while (*value == ' ') value++;
            return value;
        }
        line = memchr(line, '\n', length - (size_t)(line - head));
    }
    return NULL;
}

static int send_all(int fd, const char *data, size_t length) {
    while (length > 0) {
        ssize_t written = send(fd, data, length, MSG_NOSIGNAL);
        if (written < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) { // a full socket buffer: these answers are small, wait for room
                fd_set set;
                FD_ZERO(&set);
                FD_SET(fd, &set);
                select(fd + 1, NULL, &set, NULL, NULL);
                continue;
            }
            return -1;
        }
        data += written;
        length -= (size_t)written;
    }
    return 0;
}

// Answers one whole request (head of head_length bytes, then body_length bytes of body); -1 closes the connection.
static int answer(int fd, const char *request, size_t head_length, size_t body_length) {
    char out[512 + sizeof object_body];
    int n;
    if (strncmp(request, "GET /health ", 12) == 0) {
        n = snprintf(out, sizeof out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                     sizeof health - 1, health);
    } else if (strncmp(request, "PUT ", 4) == 0) {
        unsigned char digest[EVP_MAX_MD_SIZE];
        unsigned int digest_length = 0;
        char hex[2 * EVP_MAX_MD_SIZE + 1];
        if (!EVP_Digest(request + head_length, body_length, digest, &digest_length, EVP_md5(), NULL)) return -1;
        for (unsigned int i = 0; i < digest_length; i++) snprintf(hex + 2 * i, 3, "%02x", digest[i]);
        n = snprintf(out, sizeof out, "HTTP/1.1 200 OK\r\nETag: \"%s\"\r\nContent-Length: 0\r\n\r\n", hex);
    } else if (strncmp(request, "GET ", 4) == 0) {
        n = snprintf(out, sizeof out, "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
                     "ETag: \"0b7dc6e2b6fe3a8ba9b8c4a1a4fc9e3b\"\r\nContent-Length: %zu\r\n\r\n", sizeof object_body);
        memcpy(out + n, object_body, sizeof object_body);
        n += (int)sizeof object_body;
    } else if (strncmp(request, "DELETE ", 7) == 0) {
        n = snprintf(out, sizeof out, "HTTP/1.1 204 No Content\r\n\r\n");
    } else if (strncmp(request, "POST ", 5) == 0) {
        const char *target = header(request, head_length, "X-Amz-Target");
        const char *document = sent;
        if (target && strncmp(target, "AmazonSQS.ReceiveMessage", 24) == 0) document = received;
        else if (target && strncmp(target, "AmazonSQS.DeleteMessage", 23) == 0) document = deleted;
        n = snprintf(out, sizeof out, "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: %zu\r\n\r\n%s",
                     strlen(document), document);
    } else {
        n = snprintf(out, sizeof out, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
    }
    return send_all(fd, out, (size_t)n);
}

// Answers every whole request in the connection's buffer and keeps what is left; -1 closes the connection.
static int serve(Connection *c) {
    size_t start = 0;
    for (;;) {
        char *request = c->buffer + start;
        size_t available = c->length - start;
        char *end = available >= 4 ? memmem(request, available, "\r\n\r\n", 4) : NULL;
        if (!end) {
            if (available > HeadLimit) return -1;
            break;
        }
        size_t head_length = (size_t)(end - request) + 4;
        if (header(request, head_length, "Transfer-Encoding")) {
            static const char refused[] = "HTTP/1.1 501 Not Implemented\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            send_all(c->fd, refused, sizeof refused - 1);
            return -1;
        }
        const char *declared = header(request, head_length, "Content-Length");
        size_t body_length = declared ? strtoull(declared, NULL, 10) : 0;
        if (body_length > BodyLimit) return -1;
        if (available < head_length + body_length) {
            if (head_length + body_length > c->capacity) { // make room for the whole request
                memmove(c->buffer, request, available);
                c->length = available;
                start = 0;
                c->capacity = head_length + body_length;
                char *grown = realloc(c->buffer, c->capacity);
                if (!grown) return -1;
                c->buffer = grown;
            }
            break;
        }
        if (answer(c->fd, request, head_length, body_length) < 0) return -1;
        start += head_length + body_length;
    }
    memmove(c->buffer, c->buffer + start, c->length - start);
    c->length -= start;
    return 0;
}

int main(int argc, char **argv) {
    memset(object_body, 'x', sizeof object_body);
    char message_body[257];
    memset(message_body, 'm', 256);
    message_body[256] = 0;
    snprintf(received, sizeof received, "{\"Messages\":[{\"MessageId\":\"4002ae9c-9887-4da7-0000-000000000003\","
             "\"ReceiptHandle\":\"a3VtbzEKYmVuY2gKNDAwMmFlOWMtOTg4Ny00ZGE3LTAwMDAtMDAwMDAwMDAwMDAzCjE\","
             "\"MD5OfBody\":\"1ad9692ca2a96eb029eb5f723e011552\",\"Body\":\"%s\"}]}", message_body);
    const char *from_environment = getenv("KUMO_PORT");
    int port = argc > 1 ? atoi(argv[1]) : from_environment ? atoi(from_environment) : 0;
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int yes = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) < 0 || listen(listener, 512) < 0) {
        perror("bare-c: bind/listen on 127.0.0.1");
        return 1;
    }
    socklen_t address_length = sizeof address;
    getsockname(listener, (struct sockaddr *)&address, &address_length);
    printf("KUMO_ENDPOINT=http://127.0.0.1:%d\n", ntohs(address.sin_port));
    fflush(stdout);

    int poll = epoll_create1(0);
    struct epoll_event event = { .events = EPOLLIN, .data.ptr = NULL };
    epoll_ctl(poll, EPOLL_CTL_ADD, listener, &event);
    struct epoll_event events[64];
    for (;;) {
        int ready = epoll_wait(poll, events, 64, -1);
        if (ready < 0 && errno != EINTR) { perror("bare-c: epoll_wait"); return 1; }
        for (int i = 0; i < ready; i++) {
            Connection *c = events[i].data.ptr;
            if (!c) { // the listener: accept every waiting connection
                int fd;
                while ((fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
                    c = calloc(1, sizeof *c);
                    c->fd = fd;
                    c->capacity = HeadLimit + 8192;
                    c->buffer = malloc(c->capacity);
                    struct epoll_event added = { .events = EPOLLIN, .data.ptr = c };
                    epoll_ctl(poll, EPOLL_CTL_ADD, fd, &added);
                }
                continue;
            }
            int closing = 0;
            for (;;) { // level-triggered: one read per wake-up, another only when the read filled the buffer
                if (c->length == c->capacity) {
                    c->capacity *= 2;
                    c->buffer = realloc(c->buffer, c->capacity);
                }
                size_t room = c->capacity - c->length;
                ssize_t got = recv(c->fd, c->buffer + c->length, room, 0);
                if (got > 0) {
                    c->length += (size_t)got;
                    if (serve(c) < 0) { closing = 1; break; }
                    if ((size_t)got < room) break;
                    continue;
                }
                if (got < 0 && (errno == EAGAIN || errno == EINTR)) break;
                closing = 1; // closed by the client, or an error
                break;
            }
            if (closing) {
                close(c->fd);
                free(c->buffer);
                free(c);
            }
        }
    }
}
