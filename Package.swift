// swift-tools-version: 6.1
// ProphRL: RL for flow-matching robot policies inside a learned video world model.
// Module rules (who may import whom) are in docs/architecture.md and checked by scripts/check-architecture.sh.
import PackageDescription

let package = Package(
    name: "ProphRL",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "prophrl", targets: ["prophrl"]),
        .library(name: "ProphRLCore", targets: ["ProphRLCore"]),
        .library(name: "ProphRL", targets: ["ProphRL"]),
        .library(name: "ProphRLTesting", targets: ["ProphRLTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
    ],
    targets: [
        // MARK: - Domain core and ports (standard library only)
        .target(
            name: "ProphRLCore",
            dependencies: [.product(name: "RealModule", package: "swift-numerics")],
            path: "Sources/ProphRLCore"
        ),

        // MARK: - Application services (written against ports)
        .target(name: "ProphRL", dependencies: ["ProphRLCore"], path: "Sources/ProphRL"),

        // MARK: - In-memory fakes of the ports, for tests only
        .target(name: "ProphRLTesting", dependencies: ["ProphRLCore"], path: "Sources/ProphRLTesting"),

        // MARK: - Adapters (one per technology behind a port)
        .systemLibrary(name: "CSQLite", path: "Adapters/CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .target(name: "CheckpointSQLite", dependencies: ["ProphRLCore", "CSQLite"], path: "Adapters/CheckpointSQLite"),
        .systemLibrary(name: "CPNG", path: "Adapters/CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .target(name: "PNGImage", dependencies: ["ProphRLCore", "CPNG"], path: "Adapters/PNGImage"),
        .systemLibrary(name: "CAVUtil", path: "Adapters/CFFmpeg/CAVUtil", pkgConfig: "libavutil", providers: [.apt(["libavutil-dev"])]),
        .systemLibrary(name: "CAVCodec", path: "Adapters/CFFmpeg/CAVCodec", pkgConfig: "libavcodec", providers: [.apt(["libavcodec-dev"])]),
        .systemLibrary(name: "CAVFormat", path: "Adapters/CFFmpeg/CAVFormat", pkgConfig: "libavformat",
                       providers: [.apt(["libavformat-dev"])]),
        .systemLibrary(name: "CSWScale", path: "Adapters/CFFmpeg/CSWScale", pkgConfig: "libswscale", providers: [.apt(["libswscale-dev"])]),
        .systemLibrary(name: "CAVDevice", path: "Adapters/CFFmpeg/CAVDevice", pkgConfig: "libavdevice",
                       providers: [.apt(["libavdevice-dev"])]),
        .target(name: "VideoFFmpeg", dependencies: ["ProphRLCore", "CAVUtil", "CAVCodec", "CAVFormat", "CSWScale", "CAVDevice"],
                path: "Adapters/VideoFFmpeg"),
        .target(name: "FarnebackFlow", dependencies: ["ProphRLCore", .product(name: "RealModule", package: "swift-numerics")],
                path: "Adapters/FarnebackFlow"),
        .systemLibrary(name: "COpenBLAS", path: "Adapters/COpenBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev"])]),
        .target(name: "TensorEngine", dependencies: ["ProphRLCore", "COpenBLAS", "CTensorKernels"], path: "Adapters/TensorEngine"),
        // The tensor engine's native kernels and worker pool (per-function AVX-512/AVX2 with run-time dispatch).
        .target(name: "CTensorKernels", path: "Adapters/CTensorKernels"),
        // Shared POSIX plumbing (sockets with timeouts, a monotonic clock): not an adapter, no port behind it.
        .target(name: "POSIXSupport", dependencies: ["ProphRLCore"], path: "Adapters/POSIXSupport"),
        .target(name: "URControllerSim", dependencies: ["ProphRLCore", "POSIXSupport"], path: "Adapters/URControllerSim"),
        .target(name: "RobotRTDE", dependencies: ["ProphRLCore", "POSIXSupport"], path: "Adapters/RobotRTDE"),
        .systemLibrary(name: "CBullet", path: "Adapters/CBullet", pkgConfig: "bullet-float64",
                       providers: [.apt(["libbullet-dev"])]),
        .target(name: "BulletBridge", dependencies: ["CBullet"], path: "Adapters/BulletBridge",
                cxxSettings: [.define("BT_USE_DOUBLE_PRECISION")], linkerSettings: [.linkedLibrary("m")]),
        .target(name: "SoftRaster", dependencies: ["ProphRLCore"], path: "Adapters/SoftRaster"),
        .systemLibrary(name: "CHDF5", path: "Adapters/CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
        .target(name: "HDF5Episodes", dependencies: ["ProphRLCore", "CHDF5"], path: "Adapters/HDF5Episodes"),
        .target(name: "ProphetDiT", dependencies: ["ProphRLCore", "TensorEngine"], path: "Adapters/ProphetDiT"),
        .target(name: "BulletSimulator", dependencies: ["ProphRLCore", "BulletBridge"], path: "Adapters/BulletSimulator"),
        .target(name: "FlowPolicy", dependencies: ["ProphRLCore", "TensorEngine"], path: "Adapters/FlowPolicy"),
        .target(name: "VideoJudge", dependencies: ["ProphRLCore", "TensorEngine"], path: "Adapters/VideoJudge"),

        // MARK: - Benchmarks (executables, not timed tests)
        .executableTarget(name: "TensorBench", dependencies: ["TensorEngine", "ProphRLCore", "COpenBLAS"],
                          path: "Benchmarks/TensorBench"),

        // MARK: - Benchmarks (release executables)
        .executableTarget(name: "CheckpointBench", dependencies: ["ProphRLCore", "CheckpointSQLite"],
                          path: "Benchmarks/CheckpointBench"),
        .executableTarget(name: "ProphetBench", dependencies: ["ProphetDiT", "TensorEngine", "ProphRLCore"],
                          path: "Benchmarks/ProphetBench"),
        .executableTarget(name: "PolicyBench",
                          dependencies: ["FlowPolicy", "BulletSimulator", "SoftRaster", "CheckpointSQLite", "ProphRL", "ProphRLCore"],
                          path: "Benchmarks/PolicyBench"),
        .executableTarget(name: "SimBench", dependencies: ["BulletSimulator", "SoftRaster", "ProphRLCore"],
                          path: "Benchmarks/SimBench"),
        .executableTarget(name: "RLBench",
                          dependencies: ["FlowPolicy", "ProphetDiT", "VideoJudge", "HDF5Episodes", "CheckpointSQLite", "TensorEngine",
                                         "ProphRL", "ProphRLCore"],
                          path: "Benchmarks/RLBench"),

        // MARK: - Composition root
        .executableTarget(
            name: "prophrl",
            dependencies: [
                "ProphRLCore", "ProphRL", "CheckpointSQLite", "PNGImage", "RobotRTDE", "URControllerSim",
                "BulletSimulator", "SoftRaster", "HDF5Episodes", "ProphetDiT", "TensorEngine",
                "VideoFFmpeg", "FarnebackFlow", "FlowPolicy", "VideoJudge",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Sources/prophrl"
        ),

        .executableTarget(name: "FlowBench", dependencies: ["FarnebackFlow", "VideoFFmpeg", "ProphRL", "ProphRLCore"],
                          path: "Benchmarks/FlowBench"),

        // MARK: - Tests
        .testTarget(name: "ProphRLCoreTests", dependencies: ["ProphRLCore", "ProphRLTesting"]),
        .testTarget(name: "ProphRLTests", dependencies: ["ProphRL", "ProphRLCore", "ProphRLTesting"]),
        .testTarget(name: "ProphRLTestingTests", dependencies: ["ProphRLCore", "ProphRLTesting"]),
        .testTarget(name: "prophrlTests", dependencies: ["prophrl", "ProphRLCore"]),
        .testTarget(name: "TensorEngineTests", dependencies: ["TensorEngine", "CTensorKernels", "ProphRLCore", "ProphRLTesting"]),
        .testTarget(name: "PNGImageTests", dependencies: ["PNGImage", "CPNG", "ProphRLCore"]),
        .testTarget(name: "BulletSimulatorTests",
                    dependencies: ["BulletSimulator", "BulletBridge", "SoftRaster", "PNGImage", "ProphRLCore", "ProphRLTesting"]),
        .testTarget(name: "ProphetDiTTests", dependencies: ["ProphetDiT", "TensorEngine", "ProphRLCore", "ProphRLTesting"]),
        .testTarget(name: "VideoJudgeTests", dependencies: ["VideoJudge", "ProphRLCore", "ProphRLTesting", "TensorEngine"]),
        .testTarget(name: "FlowPolicyTests",
                    dependencies: ["FlowPolicy", "TensorEngine", "ProphRL", "ProphRLCore", "ProphRLTesting"]),
        .testTarget(name: "HDF5EpisodesTests", dependencies: ["HDF5Episodes", "CHDF5", "ProphRLCore", "ProphRLTesting"]),
        .testTarget(name: "FlowCLITests", dependencies: ["prophrl", "VideoFFmpeg", "PNGImage", "ProphRLCore"]),
        .testTarget(name: "VideoFFmpegTests", dependencies: ["VideoFFmpeg", "ProphRLCore", "ProphRLTesting"]),
        .testTarget(name: "FarnebackFlowTests", dependencies: ["FarnebackFlow", "ProphRLCore", "ProphRLTesting"]),
        .testTarget(name: "CheckpointSQLiteTests",
                    dependencies: ["CheckpointSQLite", "CSQLite", "ProphRLCore", "ProphRLTesting", "TensorEngine", "prophrl"]),
        .testTarget(name: "RobotRTDETests", dependencies: ["RobotRTDE", "URControllerSim", "ProphRL", "ProphRLCore", "ProphRLTesting"],
                    exclude: ["Peers"]),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
