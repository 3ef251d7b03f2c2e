// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets for Skiff's request path (see docs/fuzzing.md). A package of its own, so the
// main build and `swift test` never see them; build and run one with `Fuzz/run.sh TARGET SECONDS`
// (`swift build --sanitize=fuzzer`: libFuzzer brings `main`, each `main.swift` only the entry point).
let package = Package(
    name: "SkiffFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Skiff", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        // What the targets share: running async code to the end from libFuzzer's synchronous callback, invariants.
        .target(name: "FuzzSupport"),
        // Client certificates (DER, PEM bundles, signed certificates with fuzzed subjects) → X509Authenticator.
        .executableTarget(
            name: "FuzzX509Authenticator",
            dependencies: [
                "FuzzSupport",
                .product(name: "SkiffAPIServer", package: "Skiff"),
                .product(name: "SkiffPKI", package: "Skiff"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Bearer JWTs (raw, or fuzzed claims and headers signed with the issuer's key) → ServiceAccountTokenAuthenticator.
        .executableTarget(
            name: "FuzzServiceAccountToken",
            dependencies: [
                "FuzzSupport",
                .product(name: "SkiffAPI", package: "Skiff"),
                .product(name: "SkiffAPIServer", package: "Skiff"),
                .product(name: "SkiffPKI", package: "Skiff"),
                .product(name: "SkiffRegistry", package: "Skiff"),
                .product(name: "SkiffStorage", package: "Skiff"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // A webhook's AdmissionReview answer → its checks and decoding → the JSON patch applied to a pod.
        .executableTarget(
            name: "FuzzAdmissionReview",
            dependencies: [
                .product(name: "SkiffAPI", package: "Skiff"),
                .product(name: "SkiffAPIServer", package: "Skiff"),
            ]
        ),
        // `labelSelector` and `fieldSelector` query parameters → the parsers; a parsed selector's text parses back the same.
        .executableTarget(
            name: "FuzzSelectors",
            dependencies: ["FuzzSupport", .product(name: "SkiffAPI", package: "Skiff")]
        ),
    ]
)
