/// A negotiated recipe: its id, the variable names in order and their wire types.
///
/// ```swift
/// let recipe = try RTDERecipe(id: 1, names: ["input_int_register_0", "input_double_register_0"],
///                             types: [.int32, .double])
/// let payload = try recipe.encode([.int32(11), .double(0.5)])   // recipe id byte + 12 bytes
/// let values = try recipe.decode(payload: payload)
/// ```
public struct RTDERecipe: Equatable, Sendable {
    /// Recipe id (1-based per connection; 0 means a refused setup).
    public let id: UInt8
    /// Variable names in recipe order.
    public let names: [String]
    /// Wire types in recipe order.
    public let types: [RTDEWireType]
    /// Size of a data payload (recipe id byte plus fields).
    public let payloadSize: Int

    /// Creates a recipe; names and types must pair up.
    public init(id: UInt8, names: [String], types: [RTDEWireType]) throws {
        guard names.count == types.count else {
            throw RTDEError.malformedPayload(packageType: RTDEPackageType.setupOutputs.rawValue,
                                             reason: "\(names.count) names but \(types.count) types")
        }
        self.id = id
        self.names = names
        self.types = types
        self.payloadSize = 1 + types.reduce(0) { $0 + $1.byteCount }
    }

    /// Builds a recipe from a controller's reply, throwing on `NOT_FOUND`, `IN_USE` or unknown type words.
    public init(id: UInt8, names: [String], replyTypes: [String]) throws {
        let missing = zip(names, replyTypes).filter { $0.1 == RTDERecipeRefusal.notFound }.map(\.0)
        if !missing.isEmpty { throw RTDEError.variablesNotFound(missing) }
        let busy = zip(names, replyTypes).filter { $0.1 == RTDERecipeRefusal.inUse }.map(\.0)
        if !busy.isEmpty { throw RTDEError.variablesInUse(busy) }
        guard names.count == replyTypes.count else {
            throw RTDEError.malformedPayload(packageType: RTDEPackageType.setupOutputs.rawValue,
                                             reason: "asked for \(names.count) variables, reply has \(replyTypes.count) types")
        }
        var types: [RTDEWireType] = []
        for word in replyTypes {
            guard let type = RTDEWireType(rawValue: word) else {
                throw RTDEError.malformedPayload(packageType: RTDEPackageType.setupOutputs.rawValue,
                                                 reason: "unknown type word \(word)")
            }
            types.append(type)
        }
        try self.init(id: id, names: names, types: types)
    }

    /// Encodes `values` (in recipe order) as a data payload, recipe id first.
    public func encode(_ values: [RTDEValue]) throws -> [UInt8] {
        guard values.count == types.count else {
            throw RTDEError.valueTypeMismatch(name: "recipe \(id)", expected: "\(types.count) values",
                                              actual: "\(values.count) values")
        }
        var writer = BigEndianWriter(capacity: payloadSize)
        writer.uint8(id)
        for (index, value) in values.enumerated() {
            guard value.wireType == types[index] else {
                throw RTDEError.valueTypeMismatch(name: names[index], expected: types[index].name,
                                                  actual: value.wireType.name)
            }
            try value.encode(into: &writer, name: names[index])
        }
        return writer.bytes
    }

    /// Decodes a data payload (recipe id first); its length must match the recipe exactly.
    public func decode(payload: [UInt8]) throws -> [RTDEValue] {
        guard payload.count == payloadSize else {
            if payload.count < payloadSize {
                throw RTDEError.truncated(context: "data package of recipe \(id)", needed: payloadSize,
                                          available: payload.count)
            }
            throw RTDEError.malformedPayload(packageType: RTDEPackageType.dataPackage.rawValue,
                                             reason: "recipe \(id) needs \(payloadSize) bytes, got \(payload.count)")
        }
        var reader = BigEndianReader(payload, context: "data package of recipe \(id)")
        let id = try reader.uint8()
        guard id == self.id else { throw RTDEError.unknownRecipe(id) }
        return try types.map { try RTDEValue.decode($0, from: &reader) }
    }

    /// The value of `name` in decoded `values`, or nil if the recipe lacks it.
    public func value(_ name: String, in values: [RTDEValue]) -> RTDEValue? {
        guard let index = names.firstIndex(of: name), index < values.count else { return nil }
        return values[index]
    }
}
