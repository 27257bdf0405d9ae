import RealModule

/// A seeded, serialisable random number generator (xoshiro256**, seeded through SplitMix64).
///
/// Every random source in ProphRL is one of these, created from a recorded seed, so a run can be
/// replayed and its RNG state saved in a checkpoint and restored bit for bit:
///
/// ```swift
/// var rng = SeededGenerator(seed: 42)
/// let noise = (0..<7).map { _ in rng.nextGaussian() }
/// let saved = rng.state                     // store it; later
/// var resumed = try SeededGenerator(state: saved)
/// ```
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable, Hashable {
    /// The four 64-bit words of the xoshiro256** state, for checkpoints.
    public private(set) var state: [UInt64]

    /// Creates a generator whose state is expanded from `seed` by SplitMix64 (the reference seeding).
    public init(seed: UInt64) {
        var mixer = SplitMix64(state: seed)
        state = [mixer.next(), mixer.next(), mixer.next(), mixer.next()]
    }

    /// Restores a generator from a saved ``state``.
    /// - Throws: ``ValidationError`` if `state` is not four words or is all zero (a fixed point).
    public init(state: [UInt64]) throws {
        guard state.count == 4 else {
            throw ValidationError.shapeMismatch(argument: "state", expected: "4 words",
                                                actual: "\(state.count) words")
        }
        guard state.contains(where: { $0 != 0 }) else {
            throw ValidationError.invalid(argument: "state", reason: "all-zero state is a fixed point of xoshiro256**")
        }
        self.state = state
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotateLeft(state[1] &* 5, 7) &* 9
        let t = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = rotateLeft(state[3], 45)
        return result
    }

    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal sample (Box–Muller; one uniform pair per sample, so the state advances by
    /// exactly two words per call and the stream is easy to reproduce elsewhere).
    public mutating func nextGaussian() -> Double {
        let u1 = 1.0 - nextUniform()          // (0, 1]: log is finite
        let u2 = nextUniform()
        return (-2.0 * Double.log(u1)).squareRoot() * Double.cos(2.0 * Double.pi * u2)
    }

    /// A derived, independent generator for a named sub-stream (e.g. per rollout), stable across runs.
    public func fork(_ stream: UInt64) -> SeededGenerator {
        var mixer = SplitMix64(state: state[0] ^ (stream &* 0x9E37_79B9_7F4A_7C15) ^ rotateLeft(state[2], 17))
        var child = SeededGenerator(seed: 0)
        child.state = [mixer.next(), mixer.next(), mixer.next(), mixer.next()]
        return child
    }
}

/// SplitMix64, used to expand a 64-bit seed into a full generator state.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The running 64-bit state.
    public var state: UInt64

    /// Creates the mixer at `state`.
    public init(state: UInt64) { self.state = state }

    /// The next 64 mixed bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@inline(__always)
private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
