import COpenBLAS

/// Keeps glibc's allocator from returning large freed blocks to the kernel after every operation.
///
/// Every op allocates its result; with glibc's defaults, blocks above the mmap threshold are mapped
/// and unmapped each time and the heap top is trimmed, so each op pays page faults on fresh memory
/// (about a quarter of the DiT step's time in profiles). Raising the thresholds lets freed blocks be
/// reused. Call it once at the start of an executable (the benchmark and training entry points do);
/// the cost is a process that holds on to its peak working set.
public enum AllocatorTuning {
    /// Largest block the heap serves before mmap is used (glibc's maximum for 64-bit: 32 MiB).
    public static let mmapThreshold: Int32 = 32 << 20
    /// Free memory at the heap top kept rather than trimmed.
    public static let trimThreshold: Int32 = 1 << 30
    /// Extra memory requested each time the heap grows.
    public static let topPad: Int32 = 64 << 20

    /// Applies the thresholds; returns false if glibc rejected one of them.
    @discardableResult
    public static func apply() -> Bool {
        prophrl_mallopt(prophrl_m_mmap_threshold(), mmapThreshold) == 1
            && prophrl_mallopt(prophrl_m_trim_threshold(), trimThreshold) == 1
            && prophrl_mallopt(prophrl_m_top_pad(), topPad) == 1
    }
}
