/*
 * A fake NVIDIA driver (libcuda.so.1) for the CUDA backend's tests on machines without a GPU.
 *
 * It implements the driver calls Weft's runtime makes, through JCuda's real JNI library, with
 * host memory standing in for device memory, and a deliberately slow, strict "GPU":
 *  - work queued on a stream (copies, memsets, launches, event records) runs only when the host
 *    waits for it (cuStreamSynchronize, cuEventSynchronize, a copy to pageable memory), so a
 *    caller that reads results without waiting, or rewrites pinned staging memory a queued copy
 *    still reads, gets wrong data;
 *  - cuMemFree of memory that queued work still uses is a stream-order violation: it is reported
 *    on stderr and breaks the context (CUDA_ERROR_ILLEGAL_ADDRESS on every later call);
 *  - every access of queued work is checked against live allocations (CUDA_ERROR_ILLEGAL_ADDRESS);
 *  - calls without a current context on the calling thread fail with CUDA_ERROR_INVALID_CONTEXT;
 *  - cuModuleLoadDataEx assembles the PTX with the real ptxas when it is on PATH and returns its
 *    messages in the JIT error log (CUDA_ERROR_INVALID_PTX when it fails);
 *  - kernels cannot run here, so the kernels the tests launch are emulated by name: Weft's gemm
 *    (weft_gemm_<f16|f32|f64>_<n|t><n|t>) from its parameter block and grid, and the self-check's
 *    weft_check_axpy, weft_check_fault (an illegal address) and weft_check_narrow. Any other
 *    kernel is refused at launch with CUDA_ERROR_NOT_SUPPORTED.
 * Environment: FAKE_CUDA_DEVICES (default 1; 0 makes cuInit answer CUDA_ERROR_NO_DEVICE),
 * FAKE_CUDA_MEMORY (bytes of device memory, default 1 GiB), FAKE_CUDA_PTXAS (ptxas to run;
 * "none" skips assembling), FAKE_CUDA_TRACE=1 (log every call on stderr).
 */
#define _GNU_SOURCE
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
typedef struct fake_ctx *CUcontext;
typedef struct fake_stream *CUstream;
typedef struct fake_event *CUevent;
typedef struct fake_module *CUmodule;
typedef struct fake_function *CUfunction;

enum {
    SUCCESS = 0, INVALID_VALUE = 1, OUT_OF_MEMORY = 2, NOT_INITIALIZED = 3, NO_DEVICE = 100,
    INVALID_DEVICE = 101, INVALID_CONTEXT = 201, INVALID_PTX = 218, INVALID_HANDLE = 400, NOT_FOUND = 500,
    NOT_READY = 600, ILLEGAL_ADDRESS = 700, NOT_SUPPORTED = 801
};
enum { JIT_INFO_LOG_BUFFER = 3, JIT_INFO_LOG_SIZE = 4, JIT_ERROR_LOG_BUFFER = 5, JIT_ERROR_LOG_SIZE = 6 };

struct fake_ctx { int refs; };
struct fake_stream { int unused; };
struct fake_event { int pending; };
struct fake_function { char name[256]; size_t param_bytes; int max_threads; };
struct fake_module { int count; struct fake_function functions[64]; };

struct allocation { uintptr_t base; size_t size; int pinned; };

enum kind { H2D, D2H, MEMSET, LAUNCH, RECORD };
struct op {
    enum kind kind;
    uintptr_t dst, src;        /* device or host addresses */
    size_t bytes;
    unsigned char *staged;     /* H2D from pageable memory: the bytes, taken at the call */
    unsigned value; int elem; size_t pitch, width, height; /* MEMSET: width elements per row, height rows */
    struct fake_function *fn; unsigned grid[3], block; unsigned char *params;
    struct fake_event *event;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static __thread struct fake_ctx *current;
static struct fake_ctx primary;
static int initialized;
static CUresult sticky;
static struct allocation *allocs;
static size_t nallocs, capallocs;
static size_t device_bytes;
static struct op *queue;
static size_t nqueue, capqueue;

static void trace(const char *fmt, ...) {
    static int on = -1;
    if (on < 0) {
        const char *t = getenv("FAKE_CUDA_TRACE");
        on = t != NULL && strcmp(t, "1") == 0;
    }
    if (on) {
        va_list ap;
        va_start(ap, fmt);
        fprintf(stderr, "fake libcuda: ");
        vfprintf(stderr, fmt, ap);
        fprintf(stderr, "\n");
        va_end(ap);
    }
}

static void violation(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "fake libcuda: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    sticky = ILLEGAL_ADDRESS;
}

static long env_long(const char *name, long fallback) {
    const char *v = getenv(name);
    return v == NULL || *v == 0 ? fallback : atol(v);
}

static size_t memory_limit(void) { return (size_t) env_long("FAKE_CUDA_MEMORY", 1L << 30); }

/* The allocation that holds [p, p + n), or NULL. */
static struct allocation *find(uintptr_t p, size_t n, int pinned) {
    for (size_t i = 0; i < nallocs; i++) {
        struct allocation *a = &allocs[i];
        if (a->pinned == pinned && p >= a->base && p + n <= a->base + a->size && p + n >= p) {
            return a;
        }
    }
    return NULL;
}

/* A device pointer to n bytes at p for queued work; breaks the context if p is not live memory. */
static void *device(uintptr_t p, size_t n) {
    if (sticky) {
        return NULL;
    }
    if (find(p, n, 0) == NULL) {
        violation("illegal address: %zu bytes at 0x%llx are not in a live allocation", n, (unsigned long long) p);
        return NULL;
    }
    return (void *) p;
}

static void add_allocation(uintptr_t base, size_t size, int pinned) {
    if (nallocs == capallocs) {
        capallocs = capallocs ? 2 * capallocs : 64;
        allocs = realloc(allocs, capallocs * sizeof *allocs);
    }
    allocs[nallocs++] = (struct allocation) {base, size, pinned};
}

static void remove_allocation(struct allocation *a) {
    *a = allocs[--nallocs];
}

/* ---- the emulated kernels */

static float half_to_float(uint16_t h) { _Float16 v; memcpy(&v, &h, 2); return (float) v; }
static uint16_t float_to_half(float f) { _Float16 v = (_Float16) f; uint16_t h; memcpy(&h, &v, 2); return h; }

/* weft_gemm_<t>_<a><b>: words m, n, k, aOffset, bOffset, cOffset, rowTileBase, batchBase, &A, &B, &C. */
static void run_gemm(struct op *o) {
    const uint64_t *w = (const uint64_t *) o->params;
    const char *suffix = o->fn->name + strlen("weft_gemm_");
    int size = suffix[1] == '1' ? 2 : suffix[1] == '3' ? 4 : 8; /* f16, f32, f64 */
    int ta = suffix[4] == 't', tb = suffix[5] == 't';
    uint64_t m = w[0], n = w[1], k = w[2];
    for (unsigned z = 0; z < o->grid[2]; z++) {
        uint64_t b = w[7] + z;
        for (unsigned y = 0; y < o->grid[1]; y++) {
            uint64_t i0 = (w[6] + y) * 64;
            for (unsigned x = 0; x < o->grid[0]; x++) {
                uint64_t j0 = (uint64_t) x * 64;
                for (uint64_t i = i0; i < i0 + 64 && i < m; i++) {
                    for (uint64_t j = j0; j < j0 + 64 && j < n; j++) {
                        float accf = 0;
                        double accd = 0;
                        for (uint64_t q = 0; q < k; q++) {
                            uint64_t ai = w[3] + b * m * k + (ta ? q * m + i : i * k + q);
                            uint64_t bi = w[4] + b * k * n + (tb ? j * k + q : q * n + j);
                            void *pa = device(w[8] + ai * size, size);
                            void *pb = device(w[9] + bi * size, size);
                            if (pa == NULL || pb == NULL) {
                                return;
                            }
                            if (size == 2) {
                                accf = fmaf(half_to_float(*(uint16_t *) pa), half_to_float(*(uint16_t *) pb), accf);
                            } else if (size == 4) {
                                accf = fmaf(*(float *) pa, *(float *) pb, accf);
                            } else {
                                accd = fma(*(double *) pa, *(double *) pb, accd);
                            }
                        }
                        void *pc = device(w[10] + (w[5] + b * m * n + i * n + j) * size, size);
                        if (pc == NULL) {
                            return;
                        }
                        if (size == 2) {
                            *(uint16_t *) pc = float_to_half(accf);
                        } else if (size == 4) {
                            *(float *) pc = accf;
                        } else {
                            *(double *) pc = accd;
                        }
                    }
                }
            }
        }
    }
}

/* weft_check_axpy: words n, bits of a, &x, &y; y[i] = fma(a, x[i], y[i]) for the grid's threads below n. */
static void run_axpy(struct op *o) {
    const uint64_t *w = (const uint64_t *) o->params;
    uint32_t abits = (uint32_t) w[1];
    float a;
    memcpy(&a, &abits, 4);
    uint64_t threads = (uint64_t) o->grid[0] * o->block;
    for (uint64_t i = 0; i < threads && i < w[0]; i++) {
        float *x = device(w[2] + 4 * i, 4), *y = device(w[3] + 4 * i, 4);
        if (x == NULL || y == NULL) {
            return;
        }
        *y = fmaf(a, *x, *y);
    }
}

static void run_launch(struct op *o) {
    const char *name = o->fn->name;
    if (strncmp(name, "weft_gemm_", 10) == 0) {
        run_gemm(o);
    } else if (strcmp(name, "weft_check_axpy") == 0) {
        run_axpy(o);
    } else if (strcmp(name, "weft_check_fault") == 0) {
        const uint64_t *w = (const uint64_t *) o->params;
        if (device(w[1], 4) != NULL) {
            *(uint32_t *) w[1] = 1;
        }
    } /* weft_check_narrow does nothing */
}

static void execute(struct op *o) {
    if (sticky) {
        return;
    }
    switch (o->kind) {
    case H2D: {
        void *d = device(o->dst, o->bytes);
        if (d != NULL) {
            memcpy(d, o->staged != NULL ? o->staged : (void *) o->src, o->bytes);
        }
        break;
    }
    case D2H: {
        void *s = device(o->src, o->bytes);
        if (s != NULL) {
            memcpy((void *) o->dst, s, o->bytes);
        }
        break;
    }
    case MEMSET:
        for (size_t r = 0; r < o->height; r++) {
            unsigned char *row = device(o->dst + r * o->pitch, o->width * o->elem);
            if (row == NULL) {
                return;
            }
            for (size_t e = 0; e < o->width; e++) {
                memcpy(row + e * o->elem, &o->value, o->elem);
            }
        }
        break;
    case LAUNCH:
        run_launch(o);
        break;
    case RECORD:
        o->event->pending = 0;
        break;
    }
}

static void release_op(struct op *o) {
    free(o->staged);
    free(o->params);
}

/* Runs queued work up to and including index `last` (all of it for nqueue - 1). */
static void run_until(size_t last) {
    size_t done = 0;
    for (; done < nqueue && done <= last; done++) {
        execute(&queue[done]);
        release_op(&queue[done]);
    }
    memmove(queue, queue + done, (nqueue - done) * sizeof *queue);
    nqueue -= done;
}

static void run_all(void) {
    if (nqueue > 0) {
        run_until(nqueue - 1);
    }
}

static struct op *enqueue(enum kind kind) {
    if (nqueue == capqueue) {
        capqueue = capqueue ? 2 * capqueue : 256;
        queue = realloc(queue, capqueue * sizeof *queue);
    }
    struct op *o = &queue[nqueue++];
    memset(o, 0, sizeof *o);
    o->kind = kind;
    return o;
}

/* Whether queued work may touch [base, base + size): copies and memsets by range, launches by any word of their parameter block. */
static int queued_use(uintptr_t base, size_t size) {
    for (size_t i = 0; i < nqueue; i++) {
        struct op *o = &queue[i];
        uintptr_t p = o->kind == D2H ? o->src : o->dst;
        if ((o->kind == H2D || o->kind == D2H || o->kind == MEMSET) && p >= base && p < base + size) {
            return 1;
        }
        if (o->kind == LAUNCH) {
            for (size_t w = 0; w < o->fn->param_bytes / 8; w++) {
                uint64_t v = ((uint64_t *) o->params)[w];
                if (v >= base && v < base + size) {
                    return 1;
                }
            }
        }
    }
    return 0;
}

#define ENTER(name, ...)                                                   \
    pthread_mutex_lock(&lock);                                             \
    trace(name __VA_ARGS__);                                               \
    CUresult result_ = SUCCESS;
#define RETURN(code) do { result_ = (code); goto out; } while (0)
#define LEAVE goto out; out: pthread_mutex_unlock(&lock); return result_;
/* Calls that need the context current on this thread, and fail while it is broken. */
#define NEED_CONTEXT                                                       \
    if (!initialized) RETURN(NOT_INITIALIZED);                             \
    if (current != &primary || primary.refs == 0) RETURN(INVALID_CONTEXT); \
    if (sticky) RETURN(sticky);

/* ---- initialization and devices */

CUresult cuInit(unsigned int flags) {
    ENTER("cuInit(%u)", , flags);
    (void) flags;
    if (env_long("FAKE_CUDA_DEVICES", 1) == 0) RETURN(NO_DEVICE);
    initialized = 1;
    LEAVE
}

CUresult cuDriverGetVersion(int *version) {
    *version = 13000;
    return SUCCESS;
}

CUresult cuDeviceGetCount(int *count) {
    if (!initialized) return NOT_INITIALIZED;
    *count = (int) env_long("FAKE_CUDA_DEVICES", 1);
    return SUCCESS;
}

CUresult cuDeviceGet(CUdevice *device, int ordinal) {
    if (!initialized) return NOT_INITIALIZED;
    if (ordinal < 0 || ordinal >= env_long("FAKE_CUDA_DEVICES", 1)) return INVALID_DEVICE;
    *device = ordinal;
    return SUCCESS;
}

CUresult cuDeviceGetName(char *name, int length, CUdevice device) {
    snprintf(name, (size_t) length, "Weft fake CUDA device %d (tests)", device);
    return SUCCESS;
}

CUresult cuDeviceTotalMem_v2(size_t *bytes, CUdevice device) {
    (void) device;
    *bytes = memory_limit();
    return SUCCESS;
}

CUresult cuDeviceGetAttribute(int *value, int attribute, CUdevice device) {
    (void) device;
    switch (attribute) {
    case 1: *value = 1024; return SUCCESS;        /* max threads per block */
    case 5: *value = 2147483647; return SUCCESS;  /* max grid x */
    case 6: case 7: *value = 65535; return SUCCESS;
    case 8: *value = 49152; return SUCCESS;       /* shared memory per block */
    case 16: *value = 132; return SUCCESS;        /* multiprocessors */
    case 75: *value = 9; return SUCCESS;          /* compute capability 9.0 */
    case 76: *value = 0; return SUCCESS;
    default: return INVALID_VALUE;
    }
}

CUresult cuDevicePrimaryCtxRetain(CUcontext *ctx, CUdevice device) {
    ENTER("cuDevicePrimaryCtxRetain(%d)", , device);
    if (!initialized) RETURN(NOT_INITIALIZED);
    primary.refs++;
    *ctx = &primary;
    LEAVE
}

CUresult cuDevicePrimaryCtxRelease_v2(CUdevice device) {
    ENTER("cuDevicePrimaryCtxRelease(%d)", , device);
    if (primary.refs > 0 && --primary.refs == 0) {
        run_all();
        sticky = SUCCESS; /* a new context starts clean */
        size_t leaked = 0;
        for (size_t i = 0; i < nallocs; i++) {
            leaked += allocs[i].pinned ? 0 : allocs[i].size;
        }
        if (leaked > 0) {
            fprintf(stderr, "fake libcuda: the context was released with %zu bytes of device memory still allocated\n",
                    leaked);
        }
    }
    LEAVE
}

CUresult cuCtxSetCurrent(CUcontext ctx) {
    ENTER("cuCtxSetCurrent(%p)", , (void *) ctx);
    if (ctx != NULL && ctx != &primary) RETURN(INVALID_CONTEXT);
    current = ctx;
    LEAVE
}

CUresult cuCtxGetCurrent(CUcontext *ctx) {
    *ctx = current;
    return SUCCESS;
}

/* ---- streams and events */

CUresult cuStreamCreate(CUstream *stream, unsigned int flags) {
    ENTER("cuStreamCreate(%u)", , flags);
    NEED_CONTEXT
    *stream = calloc(1, sizeof(struct fake_stream));
    LEAVE
}

CUresult cuStreamDestroy_v2(CUstream stream) {
    ENTER("cuStreamDestroy");
    run_all();
    free(stream);
    LEAVE
}

CUresult cuStreamSynchronize(CUstream stream) {
    ENTER("cuStreamSynchronize");
    (void) stream;
    NEED_CONTEXT
    run_all();
    if (sticky) RETURN(sticky);
    LEAVE
}

CUresult cuStreamQuery(CUstream stream) {
    ENTER("cuStreamQuery");
    (void) stream;
    NEED_CONTEXT
    if (nqueue > 0) RETURN(NOT_READY);
    LEAVE
}

CUresult cuEventCreate(CUevent *event, unsigned int flags) {
    ENTER("cuEventCreate(%u)", , flags);
    NEED_CONTEXT
    *event = calloc(1, sizeof(struct fake_event));
    LEAVE
}

CUresult cuEventDestroy_v2(CUevent event) {
    ENTER("cuEventDestroy");
    for (size_t i = 0; i < nqueue; i++) {
        if (queue[i].kind == RECORD && queue[i].event == event) {
            queue[i].kind = MEMSET; /* keep the slot; a memset of no rows does nothing */
            queue[i].height = 0;
        }
    }
    free(event);
    LEAVE
}

CUresult cuEventRecord(CUevent event, CUstream stream) {
    ENTER("cuEventRecord");
    (void) stream;
    NEED_CONTEXT
    event->pending = 1;
    enqueue(RECORD)->event = event;
    LEAVE
}

CUresult cuEventQuery(CUevent event) {
    ENTER("cuEventQuery");
    NEED_CONTEXT
    if (event->pending) RETURN(NOT_READY); /* a slow GPU: nothing runs until someone waits */
    LEAVE
}

CUresult cuEventSynchronize(CUevent event) {
    ENTER("cuEventSynchronize");
    NEED_CONTEXT
    for (size_t i = 0; i < nqueue; i++) {
        if (queue[i].kind == RECORD && queue[i].event == event) {
            run_until(i);
            break;
        }
    }
    if (sticky) RETURN(sticky);
    LEAVE
}

/* ---- memory */

CUresult cuMemAlloc_v2(CUdeviceptr *ptr, size_t bytes) {
    ENTER("cuMemAlloc(%zu)", , bytes);
    NEED_CONTEXT
    if (bytes == 0) RETURN(INVALID_VALUE);
    if (bytes > memory_limit() || device_bytes + bytes > memory_limit()) RETURN(OUT_OF_MEMORY);
    void *p = aligned_alloc(256, (bytes + 255) / 256 * 256);
    if (p == NULL) RETURN(OUT_OF_MEMORY);
    memset(p, 0xA5, bytes < (64u << 20) ? bytes : (64u << 20)); /* device memory starts as garbage */
    add_allocation((uintptr_t) p, bytes, 0);
    device_bytes += bytes;
    *ptr = (CUdeviceptr) (uintptr_t) p;
    LEAVE
}

CUresult cuMemFree_v2(CUdeviceptr ptr) {
    ENTER("cuMemFree(0x%llx)", , ptr);
    NEED_CONTEXT
    struct allocation *a = find((uintptr_t) ptr, 1, 0);
    if (a == NULL || a->base != (uintptr_t) ptr) RETURN(INVALID_VALUE);
    if (queued_use(a->base, a->size)) {
        violation("stream order violated: cuMemFree(0x%llx) of %zu bytes while queued work still uses them", ptr,
                  a->size);
        RETURN(sticky);
    }
    device_bytes -= a->size;
    free((void *) a->base);
    remove_allocation(a);
    LEAVE
}

CUresult cuMemAllocHost_v2(void **ptr, size_t bytes) {
    ENTER("cuMemAllocHost(%zu)", , bytes);
    NEED_CONTEXT
    void *p = aligned_alloc(4096, (bytes + 4095) / 4096 * 4096);
    if (p == NULL) RETURN(OUT_OF_MEMORY);
    add_allocation((uintptr_t) p, bytes, 1);
    *ptr = p;
    LEAVE
}

CUresult cuMemFreeHost(void *ptr) {
    ENTER("cuMemFreeHost(%p)", , ptr);
    struct allocation *a = find((uintptr_t) ptr, 1, 1);
    if (a == NULL) RETURN(INVALID_VALUE);
    if (queued_use(a->base, a->size)) {
        violation("cuMemFreeHost(%p) while queued copies still use it", ptr);
    }
    free(ptr);
    remove_allocation(a);
    LEAVE
}

CUresult cuMemGetInfo_v2(size_t *free_bytes, size_t *total) {
    ENTER("cuMemGetInfo");
    NEED_CONTEXT
    *total = memory_limit();
    *free_bytes = memory_limit() - device_bytes;
    LEAVE
}

CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void *src, size_t bytes, CUstream stream) {
    ENTER("cuMemcpyHtoDAsync(0x%llx, %p, %zu)", , dst, src, bytes);
    (void) stream;
    NEED_CONTEXT
    if (find((uintptr_t) dst, bytes, 0) == NULL) RETURN(INVALID_VALUE);
    struct op *o = enqueue(H2D);
    o->dst = (uintptr_t) dst;
    o->bytes = bytes;
    if (find((uintptr_t) src, bytes, 1) != NULL) {
        o->src = (uintptr_t) src; /* pinned: read when the copy runs */
    } else {
        o->staged = malloc(bytes ? bytes : 1); /* pageable: the driver stages it during the call */
        memcpy(o->staged, src, bytes);
    }
    LEAVE
}

CUresult cuMemcpyDtoHAsync_v2(void *dst, CUdeviceptr src, size_t bytes, CUstream stream) {
    ENTER("cuMemcpyDtoHAsync(%p, 0x%llx, %zu)", , dst, src, bytes);
    (void) stream;
    NEED_CONTEXT
    if (find((uintptr_t) src, bytes, 0) == NULL) RETURN(INVALID_VALUE);
    struct op *o = enqueue(D2H);
    o->dst = (uintptr_t) dst;
    o->src = (uintptr_t) src;
    o->bytes = bytes;
    if (find((uintptr_t) dst, bytes, 1) == NULL) {
        run_all(); /* to pageable memory: returns once the copy is done */
        if (sticky) RETURN(sticky);
    }
    LEAVE
}

static CUresult memset_async(CUdeviceptr dst, unsigned value, int elem, size_t pitch, size_t width, size_t height) {
    CUresult result_ = SUCCESS;
    NEED_CONTEXT
    if (height > 0 && width > 0 && find((uintptr_t) dst, (height - 1) * pitch + width * elem, 0) == NULL) {
        RETURN(INVALID_VALUE);
    }
    struct op *o = enqueue(MEMSET);
    o->dst = (uintptr_t) dst;
    o->value = value;
    o->elem = elem;
    o->pitch = pitch;
    o->width = width;
    o->height = height;
out:
    return result_;
}

CUresult cuMemsetD8Async(CUdeviceptr dst, unsigned char value, size_t count, CUstream stream) {
    ENTER("cuMemsetD8Async(0x%llx, %u, %zu)", , dst, value, count);
    (void) stream;
    result_ = memset_async(dst, value, 1, count, count, 1);
    LEAVE
}

CUresult cuMemsetD16Async(CUdeviceptr dst, unsigned short value, size_t count, CUstream stream) {
    ENTER("cuMemsetD16Async(0x%llx, %u, %zu)", , dst, value, count);
    (void) stream;
    result_ = memset_async(dst, value, 2, 2 * count, count, 1);
    LEAVE
}

CUresult cuMemsetD32Async(CUdeviceptr dst, unsigned int value, size_t count, CUstream stream) {
    ENTER("cuMemsetD32Async(0x%llx, %u, %zu)", , dst, value, count);
    (void) stream;
    result_ = memset_async(dst, value, 4, 4 * count, count, 1);
    LEAVE
}

CUresult cuMemsetD2D32Async(CUdeviceptr dst, size_t pitch, unsigned int value, size_t width, size_t height,
                            CUstream stream) {
    ENTER("cuMemsetD2D32Async(0x%llx, pitch %zu, %u, %zu x %zu)", , dst, pitch, value, width, height);
    (void) stream;
    result_ = memset_async(dst, value, 4, pitch, width, height);
    LEAVE
}

/* ---- modules and launches */

/* Assembles the PTX with ptxas for its own .target; 0 if it assembles (or ptxas is not there), else -1 with ptxas's output in log. */
static int assemble(const char *ptx, char *log, size_t log_size) {
    const char *ptxas = getenv("FAKE_CUDA_PTXAS");
    if (ptxas == NULL || *ptxas == 0) {
        ptxas = "ptxas";
    }
    if (strcmp(ptxas, "none") == 0) {
        return 0;
    }
    char target[32] = "sm_90";
    const char *t = strstr(ptx, ".target");
    if (t != NULL) {
        sscanf(t, ".target %31[a-z_0-9]", target);
    }
    char path[] = "/tmp/fake-libcuda-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        return 0;
    }
    FILE *f = fdopen(fd, "w");
    fputs(ptx, f);
    fclose(f);
    char command[4096];
    snprintf(command, sizeof command, "command -v %s >/dev/null 2>&1 || exit 127; %s -arch=%s %s -o /dev/null 2>&1",
             ptxas, ptxas, target, path);
    FILE *p = popen(command, "r");
    size_t used = 0;
    if (log_size > 0) {
        log[0] = 0;
    }
    char chunk[512];
    size_t got;
    while (p != NULL && (got = fread(chunk, 1, sizeof chunk, p)) > 0) {
        for (size_t i = 0; i < got && used + 1 < log_size; i++) {
            log[used++] = chunk[i];
        }
    }
    if (log_size > 0) {
        log[used] = 0;
    }
    int status = p == NULL ? 0 : pclose(p);
    unlink(path);
    if (status == -1 || WEXITSTATUS(status) == 127) {
        if (log_size > 0) {
            log[0] = 0; /* no ptxas here: accept the PTX unchecked */
        }
        return 0;
    }
    return WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Lists the entries of a module with their parameter block size and .maxntid. */
static void parse_entries(const char *ptx, struct fake_module *m) {
    const char *at = ptx;
    while ((at = strstr(at, ".entry")) != NULL && m->count < 64) {
        at += strlen(".entry");
        struct fake_function *fn = &m->functions[m->count++];
        sscanf(at, " %255[A-Za-z0-9_$]", fn->name);
        fn->max_threads = 1024;
        const char *body = strchr(at, '{');
        const char *args = strstr(at, "weft_args[");
        if (args != NULL && (body == NULL || args < body)) {
            fn->param_bytes = (size_t) atol(args + strlen("weft_args["));
        }
        const char *ntid = strstr(at, ".maxntid");
        if (ntid != NULL && (body == NULL || ntid < body)) {
            fn->max_threads = atoi(ntid + strlen(".maxntid"));
        }
    }
}

CUresult cuModuleLoadDataEx(CUmodule *module, const void *image, unsigned int count, int *options, void **values) {
    ENTER("cuModuleLoadDataEx(%u options)", , count);
    NEED_CONTEXT
    char *error_log = NULL;
    size_t error_size = 0;
    for (unsigned i = 0; i < count; i++) {
        if (options[i] == JIT_ERROR_LOG_BUFFER) error_log = values[i];
        if (options[i] == JIT_ERROR_LOG_SIZE) error_size = (size_t) (uintptr_t) values[i];
    }
    char *log = malloc(error_size + 1);
    int bad = assemble(image, log, error_size);
    for (unsigned i = 0; i < count; i++) {
        if (options[i] == JIT_ERROR_LOG_SIZE) values[i] = (void *) (uintptr_t) (bad ? strlen(log) : 0);
        if (options[i] == JIT_INFO_LOG_SIZE) values[i] = (void *) (uintptr_t) 0;
    }
    if (error_log != NULL && error_size > 0) {
        snprintf(error_log, error_size, "%s", bad ? log : "");
    }
    free(log);
    if (bad) RETURN(INVALID_PTX);
    struct fake_module *m = calloc(1, sizeof *m);
    parse_entries(image, m);
    *module = m;
    LEAVE
}

CUresult cuModuleUnload(CUmodule module) {
    ENTER("cuModuleUnload");
    run_all();
    free(module);
    LEAVE
}

CUresult cuModuleGetFunction(CUfunction *function, CUmodule module, const char *name) {
    ENTER("cuModuleGetFunction(%s)", , name);
    NEED_CONTEXT
    for (int i = 0; i < module->count; i++) {
        if (strcmp(module->functions[i].name, name) == 0) {
            *function = &module->functions[i];
            RETURN(SUCCESS);
        }
    }
    RETURN(NOT_FOUND);
    LEAVE
}

CUresult cuFuncGetAttribute(int *value, int attribute, CUfunction function) {
    ENTER("cuFuncGetAttribute(%d)", , attribute);
    NEED_CONTEXT
    if (attribute == 0) {
        *value = function->max_threads;
    } else if (attribute == 4) {
        *value = 32; /* registers */
    } else {
        RETURN(INVALID_VALUE);
    }
    LEAVE
}

CUresult cuLaunchKernel(CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                        unsigned shared, CUstream stream, void **params, void **extra) {
    ENTER("cuLaunchKernel(%s, %u x %u x %u, %u x %u x %u)", , f->name, gx, gy, gz, bx, by, bz);
    (void) shared;
    (void) stream;
    NEED_CONTEXT
    if (extra != NULL || params == NULL || f->param_bytes == 0) RETURN(INVALID_VALUE);
    if (bx * by * bz > (unsigned) f->max_threads || gx == 0 || gy == 0 || gz == 0 || gy > 65535 || gz > 65535) {
        RETURN(INVALID_VALUE);
    }
    if (strncmp(f->name, "weft_gemm_", 10) != 0 && strncmp(f->name, "weft_check_", 11) != 0) {
        fprintf(stderr, "fake libcuda: cannot run kernel %s (only Weft's gemm and the self-check's kernels are "
                "emulated)\n", f->name);
        RETURN(NOT_SUPPORTED);
    }
    struct op *o = enqueue(LAUNCH);
    o->fn = f;
    o->grid[0] = gx;
    o->grid[1] = gy;
    o->grid[2] = gz;
    o->block = bx * by * bz;
    o->params = malloc(f->param_bytes);
    memcpy(o->params, params[0], f->param_bytes); /* the driver copies kernel parameters at the call */
    LEAVE
}
