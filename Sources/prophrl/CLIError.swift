/// A command-line failure with a one-line message (printed by ArgumentParser as "Error: ...").
struct CLIError: Error, CustomStringConvertible {
    /// The message shown to the user.
    let description: String

    init(_ description: String) { self.description = description }
}
