import CHDF5
import Foundation

/// Errors of the HDF5 adapter, naming the file and what failed.
public enum HDF5Error: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened or created as HDF5.
    case cannotOpen(path: String, reason: String)
    /// An object the layout requires is missing or has the wrong shape or type.
    case layout(path: String, object: String, reason: String)
    /// An HDF5 call failed.
    case call(path: String, what: String)

    /// A one-line message.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): return "cannot open HDF5 file '\(path)': \(reason)"
        case .layout(let path, let object, let reason): return "HDF5 file '\(path)', \(object): \(reason)"
        case .call(let path, let what): return "HDF5 file '\(path)': \(what) failed"
        }
    }
}

/// An open HDF5 file; closes on deinit. Paths inside the file are slash-separated ("data/demo_0/actions").
final class HDF5File {
    let id: hid_t
    let path: String

    /// Opens `path` read-only or read-write, or creates (truncates) it.
    init(path: String, mode: Mode) throws {
        prophrl_h5_silence()
        self.path = path
        let id: hid_t
        switch mode {
        case .create: id = H5Fcreate(path, prophrl_h5f_acc_trunc(), prophrl_h5p_default(), prophrl_h5p_default())
        case .read:
            guard FileManager.default.fileExists(atPath: path) else {
                throw HDF5Error.cannotOpen(path: path, reason: "no such file")
            }
            guard prophrl_h5_is_hdf5(path) > 0 else {
                throw HDF5Error.cannotOpen(path: path, reason: "not an HDF5 file or damaged")
            }
            id = H5Fopen(path, prophrl_h5f_acc_rdonly(), prophrl_h5p_default())
        case .write:
            guard prophrl_h5_is_hdf5(path) > 0 else {
                throw HDF5Error.cannotOpen(path: path, reason: "not an HDF5 file or damaged")
            }
            id = H5Fopen(path, prophrl_h5f_acc_rdwr(), prophrl_h5p_default())
        }
        guard id >= 0 else { throw HDF5Error.cannotOpen(path: path, reason: "H5Fopen/H5Fcreate failed") }
        self.id = id
    }

    /// How to open.
    enum Mode { case create, read, write }

    deinit { H5Fclose(id) }

    /// Flushes buffers to disk.
    func flush() throws {
        guard H5Fflush(id, H5F_SCOPE_GLOBAL) >= 0 else { throw HDF5Error.call(path: path, what: "flush") }
    }

    /// Whether a link exists (every parent is checked first).
    func exists(_ object: String) -> Bool {
        var prefix = ""
        for part in object.split(separator: "/") {
            prefix += prefix.isEmpty ? String(part) : "/" + part
            if H5Lexists(id, prefix, prophrl_h5p_default()) <= 0 { return false }
        }
        return true
    }

    /// Creates a group (its parent must exist).
    func createGroup(_ name: String) throws {
        let g = H5Gcreate2(id, name, prophrl_h5p_default(), prophrl_h5p_default(), prophrl_h5p_default())
        guard g >= 0 else { throw HDF5Error.call(path: path, what: "creating group \(name)") }
        H5Gclose(g)
    }

    /// Deletes a link.
    func delete(_ name: String) throws {
        guard H5Ldelete(id, name, prophrl_h5p_default()) >= 0 else { throw HDF5Error.call(path: path, what: "deleting \(name)") }
    }

    /// Names of the links in a group, in name order.
    func children(_ group: String) throws -> [String] {
        let g = H5Gopen2(id, group, prophrl_h5p_default())
        guard g >= 0 else { throw HDF5Error.layout(path: path, object: group, reason: "missing group") }
        defer { H5Gclose(g) }
        var info = H5G_info_t()
        guard H5Gget_info(g, &info) >= 0 else { throw HDF5Error.call(path: path, what: "listing \(group)") }
        var names: [String] = []
        for i in 0..<info.nlinks {
            let size = H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, nil, 0, prophrl_h5p_default())
            guard size >= 0 else { continue }
            var buffer = [CChar](repeating: 0, count: Int(size) + 1)
            H5Lget_name_by_idx(g, ".", H5_INDEX_NAME, H5_ITER_INC, i, &buffer, Int(size) + 1, prophrl_h5p_default())
            names.append(String(decoding: buffer.prefix(Int(size)).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return names
    }

    // MARK: Datasets

    /// Writes a dataset of native `type` with `dims`; with `deflate` (0–9) it is stored in chunks of one
    /// leading-index slice, compressed (what h5py's `compression="gzip"` reads).
    func write<T>(_ name: String, _ values: [T], dims: [Int], type: hid_t, deflate: Int? = nil) throws {
        guard dims.reduce(1, *) == values.count else {
            throw HDF5Error.layout(path: path, object: name, reason: "\(values.count) values for shape \(dims)")
        }
        let hdims = dims.map { hsize_t($0) }
        let space = H5Screate_simple(Int32(dims.count), hdims, nil)
        guard space >= 0 else { throw HDF5Error.call(path: path, what: "dataspace for \(name)") }
        defer { H5Sclose(space) }
        var properties = prophrl_h5p_default()
        if let deflate, dims.count >= 1, dims[0] > 0, values.count > 0 {
            properties = H5Pcreate(prophrl_h5p_dataset_create())
            var chunk = hdims
            chunk[0] = 1
            H5Pset_chunk(properties, Int32(dims.count), chunk)
            H5Pset_deflate(properties, UInt32(min(max(deflate, 0), 9)))
        }
        defer { if properties != prophrl_h5p_default() { H5Pclose(properties) } }
        let set = H5Dcreate2(id, name, type, space, prophrl_h5p_default(), properties, prophrl_h5p_default())
        guard set >= 0 else { throw HDF5Error.call(path: path, what: "creating dataset \(name)") }
        defer { H5Dclose(set) }
        let status = values.withUnsafeBytes { H5Dwrite(set, type, prophrl_h5s_all(), prophrl_h5s_all(), prophrl_h5p_default(), $0.baseAddress) }
        guard status >= 0 else { throw HDF5Error.call(path: path, what: "writing dataset \(name)") }
    }

    /// Reads a dataset converted to native `type`, with its shape.
    func read<T>(_ name: String, type: hid_t, zero: T) throws -> (values: [T], dims: [Int]) {
        guard exists(name) else { throw HDF5Error.layout(path: path, object: name, reason: "missing dataset") }
        let set = H5Dopen2(id, name, prophrl_h5p_default())
        guard set >= 0 else { throw HDF5Error.layout(path: path, object: name, reason: "not a dataset") }
        defer { H5Dclose(set) }
        let space = H5Dget_space(set)
        defer { H5Sclose(space) }
        let rank = H5Sget_simple_extent_ndims(space)
        guard rank >= 0 else { throw HDF5Error.layout(path: path, object: name, reason: "unreadable shape") }
        var hdims = [hsize_t](repeating: 0, count: Int(rank))
        H5Sget_simple_extent_dims(space, &hdims, nil)
        let dims = hdims.map { Int($0) }
        var values = [T](repeating: zero, count: dims.reduce(1, *))
        let status = values.withUnsafeMutableBytes {
            H5Dread(set, type, prophrl_h5s_all(), prophrl_h5s_all(), prophrl_h5p_default(), $0.baseAddress)
        }
        guard status >= 0 else { throw HDF5Error.layout(path: path, object: name, reason: "unreadable as the expected type") }
        return (values, dims)
    }

    // MARK: Attributes

    /// Writes a scalar numeric attribute on an object.
    func setAttribute<T: BitwiseCopyable>(_ object: String, _ name: String, _ value: T, type: hid_t) throws {
        try removeAttribute(object, name)
        let space = H5Screate(H5S_SCALAR)
        defer { H5Sclose(space) }
        let attribute = H5Acreate_by_name(id, object, name, type, space, prophrl_h5p_default(), prophrl_h5p_default(),
                                          prophrl_h5p_default())
        guard attribute >= 0 else { throw HDF5Error.call(path: path, what: "creating attribute \(object)@\(name)") }
        defer { H5Aclose(attribute) }
        var v = value
        guard H5Awrite(attribute, type, &v) >= 0 else { throw HDF5Error.call(path: path, what: "writing \(object)@\(name)") }
    }

    /// Writes a fixed-length UTF-8 string attribute (what h5py reads as `bytes`/`str`).
    func setAttribute(_ object: String, _ name: String, _ value: String) throws {
        try removeAttribute(object, name)
        let bytes = Array(value.utf8)
        let type = H5Tcopy(prophrl_h5t_c_s1())
        defer { H5Tclose(type) }
        H5Tset_size(type, max(1, bytes.count))
        H5Tset_cset(type, H5T_CSET_UTF8)
        let space = H5Screate(H5S_SCALAR)
        defer { H5Sclose(space) }
        let attribute = H5Acreate_by_name(id, object, name, type, space, prophrl_h5p_default(), prophrl_h5p_default(),
                                          prophrl_h5p_default())
        guard attribute >= 0 else { throw HDF5Error.call(path: path, what: "creating attribute \(object)@\(name)") }
        defer { H5Aclose(attribute) }
        let padded = bytes.isEmpty ? [UInt8(0)] : bytes
        guard H5Awrite(attribute, type, padded) >= 0 else { throw HDF5Error.call(path: path, what: "writing \(object)@\(name)") }
    }

    func removeAttribute(_ object: String, _ name: String) throws {
        if H5Aexists_by_name(id, object, name, prophrl_h5p_default()) > 0 {
            H5Adelete_by_name(id, object, name, prophrl_h5p_default())
        }
    }

    /// Whether an attribute exists.
    func hasAttribute(_ object: String, _ name: String) -> Bool {
        H5Aexists_by_name(id, object, name, prophrl_h5p_default()) > 0
    }

    /// Reads a scalar numeric attribute converted to `type`.
    func attribute<T: BitwiseCopyable>(_ object: String, _ name: String, type: hid_t, zero: T) throws -> T {
        let attribute = H5Aopen_by_name(id, object, name, prophrl_h5p_default(), prophrl_h5p_default())
        guard attribute >= 0 else { throw HDF5Error.layout(path: path, object: "\(object)@\(name)", reason: "missing attribute") }
        defer { H5Aclose(attribute) }
        var value = zero
        guard H5Aread(attribute, type, &value) >= 0 else {
            throw HDF5Error.layout(path: path, object: "\(object)@\(name)", reason: "not numeric")
        }
        return value
    }

    /// Reads a string attribute (fixed or variable length).
    func stringAttribute(_ object: String, _ name: String) throws -> String {
        let attribute = H5Aopen_by_name(id, object, name, prophrl_h5p_default(), prophrl_h5p_default())
        guard attribute >= 0 else { throw HDF5Error.layout(path: path, object: "\(object)@\(name)", reason: "missing attribute") }
        defer { H5Aclose(attribute) }
        let type = H5Aget_type(attribute)
        defer { H5Tclose(type) }
        guard H5Tget_class(type) == H5T_STRING else {
            throw HDF5Error.layout(path: path, object: "\(object)@\(name)", reason: "not a string")
        }
        if H5Tis_variable_str(type) > 0 {
            var pointer: UnsafeMutablePointer<CChar>?
            guard H5Aread(attribute, type, &pointer) >= 0, let pointer else {
                throw HDF5Error.layout(path: path, object: "\(object)@\(name)", reason: "unreadable string")
            }
            defer { H5free_memory(pointer) }
            return String(cString: pointer)
        }
        let size = H5Tget_size(type)
        var buffer = [UInt8](repeating: 0, count: size + 1)
        guard H5Aread(attribute, type, &buffer) >= 0 else {
            throw HDF5Error.layout(path: path, object: "\(object)@\(name)", reason: "unreadable string")
        }
        let end = buffer.firstIndex(of: 0) ?? size
        return String(decoding: buffer[0..<min(end, size)], as: UTF8.self)
    }
}
