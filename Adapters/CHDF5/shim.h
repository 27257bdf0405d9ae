// HDF5's type and flag names are macros over globals that Swift cannot import; expose them as functions.
#ifndef PROPHRL_CHDF5_SHIM_H
#define PROPHRL_CHDF5_SHIM_H
#include <hdf5.h>

static inline hid_t prophrl_h5t_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t prophrl_h5t_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t prophrl_h5t_uint8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t prophrl_h5t_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t prophrl_h5t_uint64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t prophrl_h5t_c_s1(void) { return H5T_C_S1; }
static inline unsigned prophrl_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned prophrl_h5f_acc_rdwr(void) { return H5F_ACC_RDWR; }
static inline unsigned prophrl_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline hid_t prophrl_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t prophrl_h5s_all(void) { return H5S_ALL; }
static inline hid_t prophrl_h5p_dataset_create(void) { return H5P_DATASET_CREATE; }
/// Positive if `path` is a readable HDF5 file (H5Fis_accessible from 1.12, H5Fis_hdf5 before).
static inline int prophrl_h5_is_hdf5(const char *path) {
#if H5_VERSION_GE(1, 12, 0)
    return (int)H5Fis_accessible(path, H5P_DEFAULT);
#else
    return (int)H5Fis_hdf5(path);
#endif
}
/// Turns off HDF5's automatic error printing (errors are reported through return codes).
static inline void prophrl_h5_silence(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
#endif
