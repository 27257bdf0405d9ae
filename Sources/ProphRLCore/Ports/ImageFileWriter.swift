/// The port that writes an ``RGBImage`` to an image file (PNG through libpng in the adapter).
///
/// ```swift
/// let writer: some ImageFileWriter = PNGImageWriter()
/// try writer.write(try plot.render(), to: "loss.png")   // atomic: a reader never sees half a file
/// ```
public protocol ImageFileWriter: Sendable {
    /// Writes `image` to `path` atomically (temporary file, then rename).
    /// - Throws: ``ImageFileError`` naming the file.
    func write(_ image: RGBImage, to path: String) throws
}

/// A failure to write an image file, naming the file.
public enum ImageFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be created, written or renamed into place.
    case io(file: String, detail: String)
    /// The image library refused the image.
    case encoder(file: String, detail: String)
    /// The file is not a readable image (corrupt, truncated, or another format).
    case decoder(file: String, detail: String)

    /// `"file: problem"`.
    public var description: String {
        switch self {
        case .io(let file, let detail): return "\(file): I/O error: \(detail)"
        case .encoder(let file, let detail): return "\(file): image encoder error: \(detail)"
        case .decoder(let file, let detail): return "\(file): image decoder error: \(detail)"
        }
    }
}
