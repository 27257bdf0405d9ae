/// A typed failure of a checkpoint store or codec; every case names the file and the problem.
///
/// ```swift
/// do { let store = try SQLiteCheckpointStore(openingAt: "run.sqlite") }
/// catch let error as CheckpointError { print(error) }   // "run.sqlite: not a ProphRL checkpoint database (...)"
/// ```
public enum CheckpointError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is not a ProphRL checkpoint (not SQLite, wrong application id, or malformed safetensors).
    case notACheckpoint(file: String, detail: String)
    /// The file was written by a newer ProphRL with a schema this build cannot read.
    case newerSchema(file: String, found: Int, supported: Int)
    /// `PRAGMA quick_check` or a structural check failed.
    case integrityCheckFailed(file: String, detail: String)
    /// A stored tensor's bytes no longer match the checksum recorded when it was saved.
    case checksumMismatch(file: String, step: Int, tensor: String)
    /// A checkpoint lacks a tensor that was asked for.
    case missingTensor(file: String, step: Int, name: String)
    /// No checkpoint with this step exists.
    case noSuchStep(file: String, step: Int)
    /// A checkpoint with this step already exists (steps are unique within a run).
    case stepExists(file: String, step: Int)
    /// The store has no run record yet (call `createRun` first).
    case noRun(file: String)
    /// The store already has a run record.
    case runExists(file: String)
    /// The database is locked by another writer beyond the busy timeout.
    case busy(file: String, detail: String)
    /// An operating-system or database I/O failure.
    case io(file: String, detail: String)

    /// The file the error concerns.
    public var file: String {
        switch self {
        case .notACheckpoint(let file, _), .newerSchema(let file, _, _), .integrityCheckFailed(let file, _),
             .checksumMismatch(let file, _, _), .missingTensor(let file, _, _), .noSuchStep(let file, _),
             .stepExists(let file, _), .noRun(let file), .runExists(let file), .busy(let file, _),
             .io(let file, _):
            return file
        }
    }

    /// A one-line message: the file, then the problem.
    public var description: String {
        switch self {
        case .notACheckpoint(let file, let detail):
            return "\(file): not a ProphRL checkpoint (\(detail))"
        case .newerSchema(let file, let found, let supported):
            return "\(file): schema version \(found) is newer than this build supports (\(supported)); upgrade prophrl"
        case .integrityCheckFailed(let file, let detail):
            return "\(file): integrity check failed: \(detail)"
        case .checksumMismatch(let file, let step, let tensor):
            return "\(file): checksum mismatch in tensor \(tensor) of step \(step) (the file is corrupt)"
        case .missingTensor(let file, let step, let name):
            return "\(file): step \(step) has no tensor \(name)"
        case .noSuchStep(let file, let step):
            return "\(file): no checkpoint at step \(step)"
        case .stepExists(let file, let step):
            return "\(file): a checkpoint at step \(step) already exists"
        case .noRun(let file):
            return "\(file): no run record (create the run first)"
        case .runExists(let file):
            return "\(file): the run record already exists"
        case .busy(let file, let detail):
            return "\(file): database busy: \(detail)"
        case .io(let file, let detail):
            return "\(file): I/O error: \(detail)"
        }
    }
}
