/// Facts about this build of ProphRL that every run records.
public enum ProphRLInfo {
    /// The package version.
    public static let version = "0.1.0"
}
