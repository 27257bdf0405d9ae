// CTensorKernels: the tensor engine's native helpers (part of the TensorEngine adapter).
//  - a small spin-then-sleep worker pool that runs the engine's parallel loops and GEMM partitions
//    (waking a parked GCD worker cost more than a whole elementwise op on the 2-core machines);
//  - vectorised row and elementwise kernels compiled per function for AVX-512 and AVX2+FMA and
//    chosen at run time (__builtin_cpu_supports), so no global compiler flags are needed.
// Every kernel computes each element (or row) with the same instruction sequence wherever a caller's
// chunk boundaries fall, so results do not depend on the thread count.
#ifndef CTENSORKERNELS_H
#define CTENSORKERNELS_H

#ifdef __cplusplus
extern "C" {
#endif

/// One part of a parallel loop: `part` in 0..<parts.
typedef void (*ctk_part_fn)(void *context, long part);

/// Sets the number of threads parallel loops use (the caller plus `threads - 1` pool workers), capped
/// at the number of online cores.
void ctk_set_threads(long threads);
/// The number of threads parallel loops use.
long ctk_threads(void);
/// Runs `fn(context, p)` for every p in 0..<parts on the caller and the pool workers, and returns when
/// all have finished. Runs serially when one thread is allowed, inside another parallel loop, or
/// while another thread is using the pool.
void ctk_parallel_for(long parts, ctk_part_fn fn, void *context);
/// How long idle workers spin before sleeping, in microseconds (default 200).
void ctk_set_spin_microseconds(long microseconds);
/// The instruction set the kernels use: 512 (AVX-512), 256 (AVX2+FMA) or 0 (portable C).
int ctk_vector_width_bits(void);
/// Forces the portable kernels (0), AVX2 (256) or AVX-512 (512) where the CPU supports them; for tests.
void ctk_force_vector_width_bits(int bits);

/// `y = x · σ(2u)`, `u = √(2/π)(x + 0.044715x³)` (GELU, tanh approximation).
void ctk_gelu_tanh_forward(const float *x, float *y, long n);
/// `dx = g · d/dx GELU-tanh(x)`.
void ctk_gelu_tanh_backward(const float *x, const float *g, float *dx, long n);
/// `row[j] = exp(row[j] − shift)`; returns the sum of the new values.
float ctk_exp_shift_sum(float *row, long n, float shift);
/// The largest value of a row (−∞ when empty).
float ctk_row_max(const float *row, long n);
/// `row[j] *= s`.
void ctk_scale(float *row, long n, float s);
/// Normalises one row: `y = (x − mean)/√(var + eps)` (centered) or `x/√(mean(x²) + eps)`; returns the
/// inverse standard deviation (or inverse RMS).
float ctk_norm_row_forward(const float *x, float *y, long n, int centered, float eps);
/// `dx = (g − mean(g) − x̂·mean(g·x̂)) · inv` (the `mean(g)` term only when centered).
void ctk_norm_row_backward(const float *g, const float *xhat, float *dx, long n, int centered, float inv);

#ifdef __cplusplus
}
#endif
#endif
