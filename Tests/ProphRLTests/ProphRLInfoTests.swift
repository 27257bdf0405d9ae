import Testing
import ProphRL

@Suite("Application info")
struct ProphRLInfoTests {
    @Test("The version is semantic")
    func semanticVersion() {
        #expect(ProphRLInfo.version.split(separator: ".").count == 3)
    }
}
