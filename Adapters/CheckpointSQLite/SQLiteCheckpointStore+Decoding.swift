import ProphRLCore

// Reading rows back into values, and the text encodings of the columns.
extension SQLiteCheckpointStore {
    /// The checkpoint at `step`, read inside the caller's transaction.
    func read(step: Int, db: SQLiteConnection) throws -> Checkpoint {
        let row = try db.prepare("SELECT wall_time, metrics_json, tags_json FROM checkpoints WHERE step = ?")
        try row.bind(1, Int64(step))
        guard try row.step() else { throw CheckpointError.noSuchStep(file: location, step: step) }
        let wallTime = row.double(0)
        let metrics = try decodeMetrics(row.text(1))
        let tags = try decodeTags(row.text(2))
        let tensors = try readTensors(table: "tensors", step: step, name: nil, db: db)
        let optimizer = try readTensors(table: "optimizer_state", step: step, name: nil, db: db)
        var rngStates: [String: [UInt64]] = [:]
        let rng = try db.prepare("SELECT stream, words FROM rng_states WHERE step = ?")
        try rng.bind(1, Int64(step))
        while try rng.step() {
            let words = rng.text(1).split(separator: " ").map { UInt64($0, radix: 16) }
            guard words.allSatisfy({ $0 != nil }) else { throw corrupt("rng_states \(rng.text(0)) of step \(step)") }
            rngStates[rng.text(0)] = words.compactMap { $0 }
        }
        do {
            return try Checkpoint(step: step, wallTime: wallTime, metrics: metrics, tags: tags, tensors: tensors,
                                  optimizerState: optimizer, rngStates: rngStates)
        } catch let error as ValidationError {
            throw corrupt("checkpoint \(step): \(error)")
        }
    }

    /// Rows of `table` for `step` (one `name` or all), each checksum verified against its bytes.
    func readTensors(table: String, step: Int, name: String?, db: SQLiteConnection) throws -> [NamedTensor] {
        let query = try db.prepare("""
            SELECT name, dtype, shape_json, checksum, data FROM \(table) WHERE step = ?\(name == nil ? "" : " AND name = ?") ORDER BY name
            """)
        try query.bind(1, Int64(step))
        if let name { try query.bind(2, name) }
        var tensors: [NamedTensor] = []
        while try query.step() {
            let tensorName = query.text(0)
            let bytes = query.blob(4)
            if XXHash64.hash(bytes) != UInt64(bitPattern: query.int64(3)) {
                throw CheckpointError.checksumMismatch(file: location, step: step, tensor: tensorName)
            }
            do {
                let dtype = try DType(storageName: query.text(1))
                guard case .array(let dims) = try JSONValue.parse(query.text(2)) else { throw corrupt("shape of \(tensorName)") }
                let shape = dims.compactMap(\.intValue)
                if shape.count != dims.count { throw corrupt("shape of \(tensorName)") }
                tensors.append(try NamedTensor(name: tensorName, dtype: dtype, shape: shape, bytes: bytes))
            } catch let error as ValidationError {
                throw corrupt("tensor \(tensorName) of step \(step): \(error)")
            } catch let error as JSONParseError {
                throw corrupt("shape of tensor \(tensorName) of step \(step): \(error)")
            }
        }
        return tensors
    }

    // MARK: - Column encodings

    func corrupt(_ detail: String) -> CheckpointError {
        .integrityCheckFailed(file: location, detail: "malformed \(detail)")
    }

    func decodeMetrics(_ text: String) throws -> [String: Double] {
        guard case .object(let members)? = try? JSONValue.parse(text) else { throw corrupt("metrics_json \(text.prefix(60))") }
        var metrics: [String: Double] = [:]
        for (name, value) in members {
            guard let number = value.doubleValue else { throw corrupt("metric \(name)") }
            metrics[name] = number
        }
        return metrics
    }

    func decodeTags(_ text: String) throws -> [String] {
        guard case .array(let items)? = try? JSONValue.parse(text) else { throw corrupt("tags_json \(text.prefix(60))") }
        let tags = items.compactMap(\.stringValue)
        if tags.count != items.count { throw corrupt("tags_json \(text.prefix(60))") }
        return tags
    }

    static func hexWord(_ word: UInt64) -> String {
        let digits = String(word, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
