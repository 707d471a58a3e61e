// Floating-point and vector work as a compiler emits it (built with clang -O2 for a given
// -march, e.g. x86-64-v2: SSE4.2, SSSE3, POPCNT), checksummed. The same object code runs on the
// host (host_main.c) and as a Vireo guest (guest_main.c): the lines must be identical. Inputs
// come from a generator at run time, so nothing folds at compile time; special values (zeros,
// infinities, NaNs, denormals, huge and tiny numbers) are mixed in.
#include "checksums.h"

typedef unsigned long long u64;
typedef unsigned int u32;
typedef unsigned char u8;

#define N 4096

static u64 rng_state;
static u64 rng(void) {
    rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
    return rng_state ^ (rng_state >> 29);
}

// FNV-1a over the bytes of a result array.
static u64 fnv(const void* p, u64 n) {
    const u8* b = (const u8*)p;
    u64 h = 0xcbf29ce484222325ull;
    for (u64 i = 0; i < n; i++) h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

static void emit_hash(void (*emit)(const char*), const char* name, u64 h) {
    char line[64];
    int i = 0;
    for (; name[i] && i < 40; i++) line[i] = name[i];
    line[i++] = '=';
    for (int s = 60; s >= 0; s -= 4) line[i++] = "0123456789abcdef"[(h >> s) & 15];
    line[i++] = '\n';
    line[i] = 0;
    emit(line);
}

static double dbl_from(u64 r) {
    union { u64 u; double d; } v;
    switch (r & 15) {
    case 0: v.u = 0; break;                                   // +0
    case 1: v.u = 0x8000000000000000ull; break;                // -0
    case 2: v.u = 0x7ff0000000000000ull; break;                // +inf
    case 3: v.u = 0x7ff8000000000000ull | (r >> 20); break;   // QNaN with a payload
    case 4: v.u = (r >> 12) & 0x000fffffffffffffull; break;   // denormal
    default: return (double)(long long)(r >> 11) / (double)((r >> 3 & 0xffff) + 1) * ((r & 16) ? -1e-3 : 7.25);
    }
    return v.d;
}
static float flt_from(u64 r) { return (float)dbl_from(r); }

static double da[N], db[N], dc[N], dr[N];
static float fa[N], fb[N], fc[N], fr[N];
static int ia[N], ib[N], ir[N];
static u8 ba[N], bb[N], br[N];
static long long lr[N];

void checksums(void (*emit)(const char*)) {
    rng_state = 0x5eed;
    for (int i = 0; i < N; i++) {
        da[i] = dbl_from(rng());
        db[i] = dbl_from(rng());
        dc[i] = (double)(i + 1) / 3.0;
        fa[i] = flt_from(rng());
        fb[i] = flt_from(rng());
        fc[i] = (float)i * 0.5f - 100.0f;
        ia[i] = (int)rng();
        ib[i] = (int)(rng() >> 7);
        ba[i] = (u8)rng();
        bb[i] = (u8)(rng() >> 13);
    }

    // Element-wise double arithmetic (vectorized with packed SSE2 at -O2).
    for (int i = 0; i < N; i++) dr[i] = da[i] * db[i] + dc[i] / (db[i] - 1.5);
    emit_hash(emit, "double-axpy-div", fnv(dr, sizeof dr));
    for (int i = 0; i < N; i++) dr[i] = __builtin_sqrt(da[i] < 0 ? -da[i] : da[i]) - __builtin_fmin(da[i], db[i]);
    emit_hash(emit, "double-sqrt-min", fnv(dr, sizeof dr));

    // Scalar recurrences (no reassociation: scalar SSE2 in program order).
    double h = 0, p = 1;
    for (int i = 1; i < N; i++) {
        h += 1.0 / (double)i;
        p = p * 1.0001 + dc[i] * 1e-9;
    }
    double poly = 0;
    for (int i = 0; i < N; i++) poly = poly * 0.999 + da[i] * 1e-300;
    dr[0] = h, dr[1] = p, dr[2] = poly;
    emit_hash(emit, "double-recurrences", fnv(dr, 3 * sizeof(double)));

    // Floats: element-wise, and conversions both ways.
    for (int i = 0; i < N; i++) fr[i] = fa[i] * fb[i] - fc[i] * 0.25f + fa[i] / (fc[i] + 0.5f);
    emit_hash(emit, "float-mul-add-div", fnv(fr, sizeof fr));
    for (int i = 0; i < N; i++) dr[i] = (double)fa[i] + (double)fb[i] * 3.0;
    emit_hash(emit, "float-to-double", fnv(dr, sizeof dr));
    for (int i = 0; i < N; i++) fr[i] = (float)(da[i] * 1e-10);
    emit_hash(emit, "double-to-float", fnv(fr, sizeof fr));

    // Rounding and integer conversions (ROUNDSD/CVTTSD2SI; out-of-range -> integer indefinite).
    for (int i = 0; i < N; i++) dr[i] = __builtin_floor(dc[i] * 7.3) + __builtin_ceil(-dc[i] * 1.7) + __builtin_trunc(da[i] * 1e-3);
    emit_hash(emit, "floor-ceil-trunc", fnv(dr, sizeof dr));
    for (int i = 0; i < N; i++) {
        double x = dc[i] * 12345.678 - 1e6;
        lr[i] = (long long)x + (long long)(db[i] == db[i] && db[i] < 9e18 && db[i] > -9e18 ? db[i] : 0.0);
    }
    emit_hash(emit, "double-to-int64", fnv(lr, sizeof lr));
    for (int i = 0; i < N; i++) dr[i] = (double)ia[i] * 0.5 + (double)(u32)ib[i];
    emit_hash(emit, "int-to-double", fnv(dr, sizeof dr));

    // Integer vectors: 32-bit multiply (PMULLD), min/max (PMINSD/PMAXSD), shifts.
    for (int i = 0; i < N; i++) ir[i] = ia[i] * ib[i] + (ia[i] > ib[i] ? ia[i] : ib[i]) - (ia[i] >> 3);
    emit_hash(emit, "int32-mul-max-shift", fnv(ir, sizeof ir));
    for (int i = 0; i < N; i++) {
        int s = ba[i] + bb[i];
        br[i] = (u8)(s > 255 ? 255 : s) ^ (u8)(ba[i] < bb[i] ? ba[i] : bb[i]);
    }
    emit_hash(emit, "u8-saturate-min", fnv(br, sizeof br));
    for (int i = 0; i < N; i++) br[i] = ba[N - 1 - i];  // byte reversal (PSHUFB)
    emit_hash(emit, "u8-reverse", fnv(br, sizeof br));

    // Bit counting and CRC32C (POPCNT, CRC32 with SSE4.2), and a byte histogram.
    u64 pop = 0, crc = 0xffffffff;
    for (int i = 0; i < N; i++) {
        pop += (u64)__builtin_popcount((u32)ia[i]) * (u64)(i + 1);
#if defined(__SSE4_2__)
        crc = __builtin_ia32_crc32si((u32)crc, (u32)ib[i]);
#else
        crc = crc * 31 + (u32)ib[i];
#endif
    }
    u32 hist[256] = {0};
    for (int i = 0; i < N; i++) hist[ba[i]]++;
    emit_hash(emit, "popcnt-crc32", pop ^ (crc << 32));
    emit_hash(emit, "histogram", fnv(hist, sizeof hist));
}
