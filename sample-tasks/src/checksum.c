/*
 * checksum: a CPU-heavy task, for load tests and timeouts.
 *
 * Payload: {"bytes":1048576,"rounds":1}   (both optional; these are the defaults)
 * Result:  {"algorithm":"sha256","bytes":1048576,"rounds":1,"digest":"<64 hex digits>"}
 * stderr:  one progress line per round, when rounds <= 10.
 *
 * The input is `bytes` bytes of xorshift32 output (seed 1; each 32-bit state,
 * taken after the step, is written little-endian; the last word is cut short
 * when bytes is not a multiple of 4), held in memory at once, so a large
 * `bytes` also exercises the worker's memory cap. The rounds are chained:
 *
 *     digest_1 = SHA-256(buffer)
 *     digest_k = SHA-256(digest_{k-1} || buffer)   for k = 2..rounds
 *
 * so every round depends on the one before. Limits: 0 <= bytes <= 64 MiB,
 * 1 <= rounds <= 1000. SHA-256 follows FIPS 180-4 and checks itself against
 * the FIPS example vectors on every run.
 */
#include "task.h"

#define MAX_BYTES (64 * 1024 * 1024)
#define MAX_ROUNDS 1000

typedef struct {
    uint32_t h[8];
    uint8_t block[64];
    size_t used;    /* bytes waiting in block */
    uint64_t total; /* bytes hashed so far */
} sha256;

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

static void sha256_init(sha256 *s) {
    static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(s->h, h0, sizeof h0);
    s->used = 0;
    s->total = 0;
}

/* FIPS 180-4 section 6.2.2: one 512-bit block. */
static void sha256_block(uint32_t h[8], const uint8_t *p) {
    uint32_t w[64];
    for (int t = 0; t < 16; t++) {
        w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 |
               (uint32_t)p[4 * t + 2] << 8 | (uint32_t)p[4 * t + 3];
    }
    for (int t = 16; t < 64; t++) {
        uint32_t s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
        uint32_t s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (int t = 0; t < 64; t++) {
        uint32_t t1 = k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
        uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        k = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += k;
}

static void sha256_update(sha256 *s, const uint8_t *p, size_t n) {
    s->total += n;
    if (s->used > 0) {
        size_t take = 64 - s->used < n ? 64 - s->used : n;
        memcpy(s->block + s->used, p, take);
        s->used += take;
        p += take;
        n -= take;
        if (s->used < 64) return;
        sha256_block(s->h, s->block);
        s->used = 0;
    }
    for (; n >= 64; p += 64, n -= 64) sha256_block(s->h, p);
    memcpy(s->block, p, n);
    s->used = n;
}

/* FIPS 180-4 section 5.1.1: pad with 0x80, zeros, and the bit length. */
static void sha256_final(sha256 *s, uint8_t out[32]) {
    uint64_t bits = s->total * 8;
    uint8_t pad[72] = {0x80};
    size_t pad_len = (s->used < 56 ? 56 : 120) - s->used;
    for (int i = 0; i < 8; i++) pad[pad_len + (size_t)i] = (uint8_t)(bits >> (56 - 8 * i));
    sha256_update(s, pad, pad_len + 8);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (uint8_t)(s->h[i] >> 24);
        out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
        out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
        out[4 * i + 3] = (uint8_t)s->h[i];
    }
}

static void to_hex(const uint8_t digest[32], char out[65]) {
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 0xF];
    }
    out[64] = '\0';
}

/* The FIPS 180-2 appendix B examples, plus the empty string. */
static void self_test(void) {
    static const struct {
        const char *in;
        const char *digest;
    } vectors[] = {
        {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
        {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
        {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    };
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        sha256 s;
        uint8_t digest[32];
        char hex[65];
        sha256_init(&s);
        sha256_update(&s, (const uint8_t *)vectors[i].in, strlen(vectors[i].in));
        sha256_final(&s, digest);
        to_hex(digest, hex);
        if (strcmp(hex, vectors[i].digest) != 0) {
            task_fail(70, "checksum: SHA-256 self-test failed for \"%s\": got %s, want %s",
                      vectors[i].in, hex, vectors[i].digest);
        }
    }
}

/* An optional integer field in [min, max], or `fallback` when it is absent. */
static int64_t int_field(const char *payload, size_t len, const char *key, int64_t fallback,
                         int64_t min, int64_t max) {
    int64_t v = fallback;
    int rc = task_json_get_int(payload, len, key, &v);
    if (rc == TASK_JSON_SYNTAX) {
        task_fail(2, "checksum: payload is not a JSON object, e.g. {\"bytes\":1048576,\"rounds\":1}");
    }
    if (rc == TASK_JSON_TYPE || rc == TASK_JSON_RANGE || (rc == TASK_JSON_OK && (v < min || v > max))) {
        task_fail(2, "checksum: \"%s\" must be an integer from %lld to %lld", key, (long long)min,
                  (long long)max);
    }
    return v;
}

static void checksum(const char *payload, size_t len) {
    self_test();
    int64_t bytes = int_field(payload, len, "bytes", 1024 * 1024, 0, MAX_BYTES);
    int64_t rounds = int_field(payload, len, "rounds", 1, 1, MAX_ROUNDS);

    uint8_t *buf = malloc(bytes > 0 ? (size_t)bytes : 1);
    if (buf == NULL) {
        task_fail(3, "checksum: cannot allocate %lld bytes; ask for fewer or raise the "
                  "worker's TASK_QUEUE_MAX_MEMORY_PAGES", (long long)bytes);
    }
    uint32_t x = 1;
    for (int64_t i = 0; i < bytes; i += 4) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        for (int64_t j = 0; j < 4 && i + j < bytes; j++) buf[i + j] = (uint8_t)(x >> (8 * j));
    }

    uint8_t digest[32];
    char hex[65];
    for (int64_t r = 1; r <= rounds; r++) {
        sha256 s;
        sha256_init(&s);
        if (r > 1) sha256_update(&s, digest, sizeof digest);
        sha256_update(&s, buf, (size_t)bytes);
        sha256_final(&s, digest);
        if (rounds <= 10) {
            to_hex(digest, hex);
            fprintf(stderr, "checksum: round %lld/%lld %s\n", (long long)r, (long long)rounds, hex);
        }
    }
    to_hex(digest, hex);
    task_return_fmt("{\"algorithm\":\"sha256\",\"bytes\":%lld,\"rounds\":%lld,\"digest\":\"%s\"}",
                    (long long)bytes, (long long)rounds, hex);
}

TASK_MAIN(checksum);
