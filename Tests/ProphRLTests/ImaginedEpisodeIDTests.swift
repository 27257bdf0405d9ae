import ProphRL
import ProphRLCore
import Testing

@Suite("Imagined rollout ids: written by rl train --imagined-out, grouped back into RL groups")
struct ImaginedEpisodeIDTests {
    @Test("An id round-trips, hyphenated task names included; other ids do not parse")
    func roundTrip() {
        let id = ImaginedEpisodeID(task: "pick-bottle", iteration: 12, index: 31)
        #expect(id.description == "pick-bottle-imagined-it12-31")
        #expect(ImaginedEpisodeID(parsing: id.description) == id)
        for other in ["pick-bottle-imagined-3", "pick-bottle-seed-7", "-imagined-it1-0", "pick-bottle-imagined-it0-1",
                      "pick-bottle-imagined-it1-", "pick-bottle-imagined-it1-2-3", "pick-bottle-imagined-itx-2"] {
            #expect(ImaginedEpisodeID(parsing: other) == nil, "\(other)")
        }
    }

    /// Two iterations of 2 groups × 3 rollouts, stored in a scrambled order; group g of iteration i starts from seed 10i + g.
    static let scrambled: [(id: String, seed: UInt64)] = {
        var all: [(String, UInt64)] = []
        for iteration in 1...2 {
            for index in 0..<6 {
                all.append((ImaginedEpisodeID(task: "place-bowl", iteration: iteration, index: index).description,
                            UInt64(10 * iteration + index / 3)))
            }
        }
        return [7, 0, 11, 3, 5, 1, 9, 2, 10, 4, 6, 8].map { all[$0] }
    }()

    @Test("Groups come back in iteration and group order, members in index order, whatever the file order")
    func groups() throws {
        let groups = try ImaginedEpisodeID.groups(ids: Self.scrambled.map(\.id), seeds: Self.scrambled.map(\.seed), groupSize: 3)
        let asIDs = groups.map { $0.map { ImaginedEpisodeID(parsing: Self.scrambled[$0].id)! } }
        #expect(asIDs.map { $0.map(\.index) } == [[0, 1, 2], [3, 4, 5], [0, 1, 2], [3, 4, 5]])
        #expect(asIDs.map { $0.map(\.iteration) } == [[1, 1, 1], [1, 1, 1], [2, 2, 2], [2, 2, 2]])
        #expect(groups.allSatisfy { group in Set(group.map { Self.scrambled[$0].seed }).count == 1 })
    }

    @Test("A wrong group size, a foreign id or mismatched seeds is refused, naming groupSize")
    func refusals() {
        let ids = Self.scrambled.map(\.id), seeds = Self.scrambled.map(\.seed)
        func reason(_ body: () throws -> [[Int]]) -> String {
            do { _ = try body(); return "accepted" } catch { return "\(error)" }
        }
        // 2 divides 6, but each group of 2 that straddles two starts mixes seeds.
        #expect(reason { try ImaginedEpisodeID.groups(ids: ids, seeds: seeds, groupSize: 2) }.contains("mixes starts"))
        let fiveOfIterationOne = (0..<5).map { ImaginedEpisodeID(task: "place-bowl", iteration: 1, index: $0).description }
        #expect(reason { try ImaginedEpisodeID.groups(ids: fiveOfIterationOne, seeds: [10, 10, 10, 11, 11], groupSize: 3) }
            .contains("group 1 of iteration 1 has 2 rollouts, not 3"))
        #expect(reason { try ImaginedEpisodeID.groups(ids: ids + ["pick-bottle-seed-3"], seeds: seeds + [1], groupSize: 3) }
            .contains("is not an imagined rollout"))
        #expect(reason { try ImaginedEpisodeID.groups(ids: ids, seeds: [1], groupSize: 3) }.contains("seeds"))
        #expect(reason { try ImaginedEpisodeID.groups(ids: ids, seeds: seeds, groupSize: 0) }.contains("groupSize"))
    }
}
