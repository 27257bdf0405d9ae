/// What a policy sees at one decision: a camera image, the task instruction and the robot's state.
///
/// On the real robot and in world-model rollouts the state is the one integrated from the policy's own
/// deltas (the paper's real-robot protocol), not a measured one.
public struct Observation: Sendable, Equatable {
    /// The current camera frame.
    public var image: RGBImage
    /// The natural-language instruction, e.g. "pick up the bottle".
    public var instruction: String
    /// The proprioceptive state.
    public var state: RobotState
    /// The camera frame the episode started from (the real start frame, also inside a world model), for policies
    /// that read the scene from it; nil where the environment does not track it.
    public var firstImage: RGBImage?

    /// Creates an observation.
    public init(image: RGBImage, instruction: String, state: RobotState, firstImage: RGBImage? = nil) {
        self.image = image
        self.instruction = instruction
        self.state = state
        self.firstImage = firstImage
    }
}
