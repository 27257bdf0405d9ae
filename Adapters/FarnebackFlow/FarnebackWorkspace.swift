import Synchronization

/// The scratch buffers of one flow computation, kept between calls so large arrays are not reallocated
/// (each fresh array costs page faults). Buffers only grow; callers use their first elements.
final class FarnebackWorkspace: @unchecked Sendable {
    // @unchecked: a workspace is used by one thread at a time — it is taken out of the pool under its lock
    // and given back when the computation ends.
    var blurRows: [Float] = [], blurred: [Float] = [], level: [Float] = []
    var expansion0: [Float] = [], expansion1: [Float] = [], matrices: [Float] = []
    var flowX: [Float] = [], flowY: [Float] = [], interleaved: [Float] = [], upsampled: [Float] = []
}

/// A small pool of workspaces shared by copies of one estimator; concurrent callers each get their own.
final class FarnebackWorkspacePool: Sendable {
    /// Workspaces kept for reuse; more concurrent callers than this allocate and drop their own.
    static let capacity = 4
    private let free = Mutex<[FarnebackWorkspace]>([])

    /// A workspace for exclusive use until ``give(_:)``.
    func take() -> FarnebackWorkspace {
        free.withLock { $0.popLast() } ?? FarnebackWorkspace()
    }

    /// Returns a workspace to the pool.
    func give(_ workspace: FarnebackWorkspace) {
        free.withLock { if $0.count < Self.capacity { $0.append(workspace) } }
    }
}
