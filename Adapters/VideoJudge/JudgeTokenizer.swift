/// Lower-case words hashed (FNV-1a) into a fixed vocabulary, so any instruction maps to ids without a word list.
struct JudgeTokenizer: Sendable, Equatable {
    let vocabularySize: Int

    init(vocabularySize: Int) { self.vocabularySize = max(vocabularySize, 1) }

    /// The word ids of `instruction` (an empty instruction maps to id 0).
    func ids(_ instruction: String) -> [Int] {
        var ids: [Int] = []
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var inWord = false
        for byte in instruction.lowercased().utf8 {
            if (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) {
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
