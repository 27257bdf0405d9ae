// Debian's OpenBLAS (libopenblas-dev, pthread variant) for the TensorEngine adapter.
// The pkg-config name `openblas` pins the implementation, so openblas_set_num_threads,
// openblas_get_corename and openblas_get_config are always present (shared/spec/engineering.md §2.2).
#include <cblas.h>
