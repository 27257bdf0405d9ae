// Debian's OpenBLAS (libopenblas-dev, pthread variant) for the TensorEngine adapter.
// The pkg-config name `openblas` pins the implementation, so openblas_set_num_threads,
// openblas_get_corename and openblas_get_config are always present (shared/spec/engineering.md §2.2).
#include <cblas.h>

// glibc's allocator tuning for the engine's many large temporaries (AllocatorTuning.swift);
// <malloc.h> is not part of Swift's Glibc module, so it is exposed here.
#include <malloc.h>
static inline int prophrl_mallopt(int param, int value) { return mallopt(param, value); }
static inline int prophrl_m_mmap_threshold(void) { return M_MMAP_THRESHOLD; }
static inline int prophrl_m_trim_threshold(void) { return M_TRIM_THRESHOLD; }
static inline int prophrl_m_top_pad(void) { return M_TOP_PAD; }
