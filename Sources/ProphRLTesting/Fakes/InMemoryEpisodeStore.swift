import ProphRLCore

/// A fake ``EpisodeStore`` keeping episodes in a dictionary.
public actor InMemoryEpisodeStore: EpisodeStore {
    private var episodes: [String: Episode] = [:]

    /// An empty store.
    public init() {}

    /// Stores or replaces the episode.
    public func save(_ episode: Episode) async throws { episodes[episode.id] = episode }

    /// The stored episode.
    public func load(id: String) async throws -> Episode {
        guard let episode = episodes[id] else { throw EpisodeStoreError.notFound(id: id) }
        return episode
    }

    /// Summaries ordered by id.
    public func list(task: String?) async throws -> [EpisodeSummary] {
        episodes.values.filter { task == nil || $0.task == task }.map(\.summary).sorted { $0.id < $1.id }
    }

    /// Removes the episode.
    public func remove(id: String) async throws {
        guard episodes.removeValue(forKey: id) != nil else { throw EpisodeStoreError.notFound(id: id) }
    }
}
