/// Splits an instruction into lower-case words and hashes each into a fixed vocabulary (FNV-1a), so any
/// instruction maps to ids without a stored word list. The policy and the video judge share it.
///
/// ```swift
/// let ids = InstructionTokenizer(vocabularySize: 256).ids("Pick up the bottle")   // four ids in 0..<256
/// ```
public struct InstructionTokenizer: Sendable, Equatable {
    /// The vocabulary size.
    public let vocabularySize: Int

    /// Creates a tokenizer for `vocabularySize` ids.
    public init(vocabularySize: Int) { self.vocabularySize = max(vocabularySize, 1) }

    /// The word ids of `instruction` (at least one: an empty instruction maps to id 0).
    public func ids(_ instruction: String) -> [Int] {
        var ids: [Int] = []
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var inWord = false
        for byte in instruction.lowercased().utf8 {
            let isWordByte = (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57)
            if isWordByte {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
                inWord = true
            } else if inWord {
                ids.append(Int(hash % UInt64(vocabularySize)))
                hash = 0xcbf2_9ce4_8422_2325
                inWord = false
            }
        }
        if inWord { ids.append(Int(hash % UInt64(vocabularySize))) }
        return ids.isEmpty ? [0] : ids
    }
}
