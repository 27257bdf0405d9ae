import ProphRL
import Testing

final class Recorder: @unchecked Sendable { var text = "" }

@Suite("Progress bar")
struct ProgressBarTests {
    @Test("A terminal bar shows count, percent, rate and ETA")
    func bar() {
        let out = Recorder()
        var time = 0.0
        var bar = ProgressBar(total: 100, label: "collect", style: .bar, write: { out.text += $0 }, now: { time })
        time = 10
        bar.advance(by: 25, detail: "loss 0.5")
        #expect(out.text.hasPrefix("\rcollect [######..................] 25/100 (25%) 2.5/s elapsed 0:10 ETA 0:30 loss 0.5"))
        bar.finish()
        #expect(out.text.hasSuffix("\n"))
    }

    @Test("Plain lines are rate-limited and always end with the final count")
    func lines() {
        let out = Recorder()
        var time = 0.0
        var bar = ProgressBar(total: 3, label: "train", style: .lines, write: { out.text += $0 }, now: { time })
        bar.lineInterval = 10
        time = 1; bar.advance()
        time = 2; bar.advance()
        time = 3; bar.advance()
        bar.finish()
        let lines = out.text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.last?.contains("3/3 (100%)") == true)
        #expect(!out.text.contains("\r"))
    }

    @Test("Clock formatting")
    func clock() {
        var bar = ProgressBar(total: 7200, label: "x", style: .lines, write: { _ in }, now: { 0 })
        #expect(bar.render(at: 0).contains("ETA --:--"))
        bar.advance(by: 1)
        #expect(ProgressBar(total: 1, label: "", style: .lines, write: { _ in }, now: { 0 }).render(at: 3725).contains("1:02:05"))
    }
}
