// Tensor-mode gemm: C[p] = op(A[p]) * op(B[p]) for every batch entry p, as the reference backend
// defines it: op(A) is M x K, op(B) is K x N, all row-major and contiguous (batch strides M*K,
// K*N, M*N); A is stored K x M when trans_a, B is stored N x K when trans_b.
//
// Every output is one fma chain in order of k, starting from +0, in F32 (F64 for F64) and
// rounded once to the storage type: the same operations as the reference, so results are
// identical to it. F16 is storage only: read with vload_half, written with vstore_half_rte
// (round to nearest even), so devices without cl_khr_fp16 run it.
//
// The source that includes this text first defines WEFT_GEMM_ENTRY (the kernel's name) and one
// of WEFT_GEMM_F16, WEFT_GEMM_F32, WEFT_GEMM_F64.
//
// Parameter block (ulong words): batch, m, n, k, trans_a, trans_b, a_offset, b_offset, c_offset
// (offsets in elements). One work-group of 64 work-items computes a 32 x 32 tile of C: the
// groups are numbered batch-major, then tile row, then tile column. Each work-item owns a 4 x 4
// set of outputs spaced 8 apart (rows ty, ty + 8, ...; columns tx, tx + 8, ...), so that the
// work-items of a group read neighbouring elements of the local tiles. Tiles of A and B,
// GEMM_TK deep, are staged in local memory with zeros outside the matrices; the inner loop
// runs only over the k that exist, so no term is added that the reference would not add.

#define GEMM_TM 32
#define GEMM_TN 32
#define GEMM_TK 16
#define GEMM_GROUP 64
#define GEMM_SIDE 8

#if defined(WEFT_GEMM_F64)
typedef double gemm_acc;
typedef double gemm_elem;
#define GEMM_LOAD(p, i) ((p)[i])
#define GEMM_STORE(p, i, v) ((p)[i] = (v))
#elif defined(WEFT_GEMM_F32)
typedef float gemm_acc;
typedef float gemm_elem;
#define GEMM_LOAD(p, i) ((p)[i])
#define GEMM_STORE(p, i, v) ((p)[i] = (v))
#elif defined(WEFT_GEMM_F16)
typedef float gemm_acc;
typedef half gemm_elem;
#define GEMM_LOAD(p, i) vload_half((i), (p))
#define GEMM_STORE(p, i, v) vstore_half_rte((v), (i), (p))
#else
#error "define WEFT_GEMM_F16, WEFT_GEMM_F32 or WEFT_GEMM_F64"
#endif

__kernel __attribute__((reqd_work_group_size(GEMM_GROUP, 1, 1)))
void WEFT_GEMM_ENTRY(__constant ulong* weft_params, __global const gemm_elem* a, __global const gemm_elem* b,
                     __global gemm_elem* c) {
    const ulong m = weft_params[1];
    const ulong n = weft_params[2];
    const ulong k = weft_params[3];
    const bool trans_a = weft_params[4] != 0;
    const bool trans_b = weft_params[5] != 0;
    const ulong tiles_m = (m + GEMM_TM - 1) / GEMM_TM;
    const ulong tiles_n = (n + GEMM_TN - 1) / GEMM_TN;
    const ulong group = get_group_id(0);
    const ulong row0 = (group / tiles_n % tiles_m) * GEMM_TM;
    const ulong col0 = (group % tiles_n) * GEMM_TN;
    const ulong entry = group / (tiles_n * tiles_m);
    const ulong a0 = weft_params[6] + entry * m * k;
    const ulong b0 = weft_params[7] + entry * k * n;
    const ulong c0 = weft_params[8] + entry * m * n;
    const uint lid = get_local_id(0);
    const uint tx = lid % GEMM_SIDE;
    const uint ty = lid / GEMM_SIDE;

    __local gemm_acc tile_a[GEMM_TK][GEMM_TM];
    __local gemm_acc tile_b[GEMM_TK][GEMM_TN];
    gemm_acc acc[4][4];
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 4; j++) {
            acc[i][j] = 0;
        }
    }

    for (ulong k0 = 0; k0 < k; k0 += GEMM_TK) {
        // consecutive work-items take consecutive addresses of A and B, whichever way they are stored
        for (uint e = lid; e < GEMM_TK * GEMM_TM; e += GEMM_GROUP) {
            const uint r = trans_a ? e % GEMM_TM : e / GEMM_TK;
            const uint q = trans_a ? e / GEMM_TM : e % GEMM_TK;
            const ulong row = row0 + r;
            const ulong kk = k0 + q;
            gemm_acc v = 0;
            if (row < m && kk < k) {
                v = GEMM_LOAD(a, a0 + (trans_a ? kk * m + row : row * k + kk));
            }
            tile_a[q][r] = v;
        }
        for (uint e = lid; e < GEMM_TK * GEMM_TN; e += GEMM_GROUP) {
            const uint q = trans_b ? e % GEMM_TK : e / GEMM_TN;
            const uint s = trans_b ? e / GEMM_TK : e % GEMM_TN;
            const ulong col = col0 + s;
            const ulong kk = k0 + q;
            gemm_acc v = 0;
            if (col < n && kk < k) {
                v = GEMM_LOAD(b, b0 + (trans_b ? col * k + kk : kk * n + col));
            }
            tile_b[q][s] = v;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        const uint depth = (uint) min((ulong) GEMM_TK, k - k0);
        for (uint q = 0; q < depth; q++) {
            gemm_acc av[4];
            gemm_acc bv[4];
            for (int i = 0; i < 4; i++) {
                av[i] = tile_a[q][ty + GEMM_SIDE * i];
                bv[i] = tile_b[q][tx + GEMM_SIDE * i];
            }
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    acc[i][j] = fma(av[i], bv[j], acc[i][j]);
                }
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    for (int i = 0; i < 4; i++) {
        const ulong row = row0 + ty + GEMM_SIDE * i;
        for (int j = 0; j < 4; j++) {
            const ulong col = col0 + tx + GEMM_SIDE * j;
            if (row < m && col < n) {
                GEMM_STORE(c, c0 + row * n + col, acc[i][j]);
            }
        }
    }
}
