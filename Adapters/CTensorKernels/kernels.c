// Kernel dispatch: kernels_impl.h compiled three times (AVX-512, AVX2+FMA, portable) and the widest
// one the CPU and OS support chosen once at run time. Per-function target attributes give the wide
// instructions without compiling the whole package for a newer CPU.
#include "CTensorKernels.h"

#include <math.h>
#include <stdatomic.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

// ---- AVX-512 (16 lanes) ----
#define SUFFIX(name) name##_avx512
#define TARGET __attribute__((target("avx512f,avx2,fma")))
#define V __m512
#define W 16
#define VLOAD(p) _mm512_loadu_ps(p)
#define VSTORE(p, v) _mm512_storeu_ps(p, v)
#define VSET(x) _mm512_set1_ps(x)
#define VADD _mm512_add_ps
#define VSUB _mm512_sub_ps
#define VMUL _mm512_mul_ps
#define VDIV _mm512_div_ps
#define VMAX _mm512_max_ps
#define VMIN _mm512_min_ps
#define VFMA _mm512_fmadd_ps
#define VROUND(x) _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
#define VSCALE2(y, n) _mm512_scalef_ps(y, n)
#define LOADN(p, c) _mm512_maskz_loadu_ps((__mmask16)((1u << (c)) - 1u), p)
#define STOREN(p, v, c) _mm512_mask_storeu_ps(p, (__mmask16)((1u << (c)) - 1u), v)
#define VSUM _mm512_reduce_add_ps
#define VHMAX _mm512_reduce_max_ps
#include "kernels_impl.h"

// ---- AVX2 + FMA (8 lanes) ----
__attribute__((target("avx2,fma"))) static inline __m256i lane_mask_avx2(long c) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)c), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
__attribute__((target("avx2,fma"))) static inline float hsum_avx2(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}
__attribute__((target("avx2,fma"))) static inline float hmax_avx2(__m256 v) {
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}
__attribute__((target("avx2,fma"))) static inline __m256 scale2_avx2(__m256 y, __m256 n) {
    __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(y, _mm256_castsi256_ps(e));
}
#define SUFFIX(name) name##_avx2
#define TARGET __attribute__((target("avx2,fma")))
#define V __m256
#define W 8
#define VLOAD(p) _mm256_loadu_ps(p)
#define VSTORE(p, v) _mm256_storeu_ps(p, v)
#define VSET(x) _mm256_set1_ps(x)
#define VADD _mm256_add_ps
#define VSUB _mm256_sub_ps
#define VMUL _mm256_mul_ps
#define VDIV _mm256_div_ps
#define VMAX _mm256_max_ps
#define VMIN _mm256_min_ps
#define VFMA _mm256_fmadd_ps
#define VROUND(x) _mm256_round_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)
#define VSCALE2(y, n) scale2_avx2(y, n)
#define LOADN(p, c) _mm256_maskload_ps(p, lane_mask_avx2(c))
#define STOREN(p, v, c) _mm256_maskstore_ps(p, lane_mask_avx2(c), v)
#define VSUM hsum_avx2
#define VHMAX hmax_avx2
#include "kernels_impl.h"
#endif

// ---- Portable (one lane: plain C, auto-vectorised where the compiler can) ----
#define SUFFIX(name) name##_portable
#define TARGET
#define V float
#define W 1
#define VLOAD(p) (*(p))
#define VSTORE(p, v) (*(p) = (v))
#define VSET(x) (x)
#define VADD(a, b) ((a) + (b))
#define VSUB(a, b) ((a) - (b))
#define VMUL(a, b) ((a) * (b))
#define VDIV(a, b) ((a) / (b))
#define VMAX(a, b) fmaxf(a, b)
#define VMIN(a, b) fminf(a, b)
#define VFMA(a, b, c) fmaf(a, b, c)
#define VROUND(x) rintf(x)
#define VSCALE2(y, n) ldexpf(y, (int)(n))
#define LOADN(p, c) (*(p))
#define STOREN(p, v, c) (*(p) = (v))
#define VSUM(v) (v)
#define VHMAX(v) (v)
#include "kernels_impl.h"

// ---- Dispatch ----
static _Atomic int forced_bits = -1;
static _Atomic int detected_bits = -1;

static int detect_bits(void) {
#if defined(__x86_64__)
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int osxsave = (c >> 27) & 1, fma = (c >> 12) & 1, avx = (c >> 28) & 1;
    if (!osxsave || !avx || !fma) return 0;
    unsigned lo, hi;
    __asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 0x6) != 0x6) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    int avx2 = (b >> 5) & 1, avx512f = (b >> 16) & 1;
    if (avx512f && avx2 && (lo & 0xE6) == 0xE6) return 512;
    if (avx2) return 256;
#endif
    return 0;
}

static int supported_bits(void) {
    int bits = atomic_load_explicit(&detected_bits, memory_order_relaxed);
    if (bits < 0) {
        bits = detect_bits();
        atomic_store_explicit(&detected_bits, bits, memory_order_relaxed);
    }
    return bits;
}

int ctk_vector_width_bits(void) {
    int supported = supported_bits(), forced = atomic_load_explicit(&forced_bits, memory_order_relaxed);
    return forced >= 0 && forced < supported ? forced : supported;
}

void ctk_force_vector_width_bits(int bits) { atomic_store(&forced_bits, bits); }

#if defined(__x86_64__)
#define DISPATCH(call_avx512, call_avx2, call_portable) \
    switch (ctk_vector_width_bits()) { case 512: call_avx512; case 256: call_avx2; default: call_portable; }
#else
#define DISPATCH(call_avx512, call_avx2, call_portable) call_portable;
#endif

void ctk_gelu_tanh_forward(const float *x, float *y, long n) {
    DISPATCH(gelu_tanh_forward_avx512(x, y, n); return, gelu_tanh_forward_avx2(x, y, n); return,
             gelu_tanh_forward_portable(x, y, n); return)
}

void ctk_gelu_tanh_backward(const float *x, const float *g, float *dx, long n) {
    DISPATCH(gelu_tanh_backward_avx512(x, g, dx, n); return, gelu_tanh_backward_avx2(x, g, dx, n); return,
             gelu_tanh_backward_portable(x, g, dx, n); return)
}

float ctk_exp_shift_sum(float *row, long n, float shift) {
    DISPATCH(return exp_shift_sum_avx512(row, n, shift), return exp_shift_sum_avx2(row, n, shift),
             return exp_shift_sum_portable(row, n, shift))
}

float ctk_row_max(const float *row, long n) {
    DISPATCH(return row_max_avx512(row, n), return row_max_avx2(row, n), return row_max_portable(row, n))
}

void ctk_scale(float *row, long n, float s) {
    DISPATCH(scale_avx512(row, n, s); return, scale_avx2(row, n, s); return, scale_portable(row, n, s); return)
}

float ctk_norm_row_forward(const float *x, float *y, long n, int centered, float eps) {
    DISPATCH(return norm_row_forward_avx512(x, y, n, centered, eps), return norm_row_forward_avx2(x, y, n, centered, eps),
             return norm_row_forward_portable(x, y, n, centered, eps))
}

void ctk_norm_row_backward(const float *g, const float *xhat, float *dx, long n, int centered, float inv) {
    DISPATCH(norm_row_backward_avx512(g, xhat, dx, n, centered, inv); return,
             norm_row_backward_avx2(g, xhat, dx, n, centered, inv); return,
             norm_row_backward_portable(g, xhat, dx, n, centered, inv); return)
}
