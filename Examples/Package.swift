// swift-tools-version:6.1
import PackageDescription

/// client-go's examples, the namespace-controller walkthrough, the API-option snippets of the
/// quick start (docs/quickstart.md) and the TrainingJob operator (docs/operators.md), in Swift,
/// built against Skiff's libraries by path: `swift build --package-path Examples`; the
/// fake-client example is a test: `swift test --package-path Examples`.
let package = Package(
    name: "SkiffExamples",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Skiff", path: ".."),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
    ],
    targets: [
        // What every example shares: the kubeconfig, context and -v flags, signal handling.
        .target(
            name: "ExampleSupport",
            dependencies: [
                .product(name: "SkiffClient", package: "Skiff"), .product(name: "SkiffAPI", package: "Skiff"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The seed's operator (README.md beside it): TrainingJob custom resources on the operator SDK.
        .executableTarget(
            name: "trainingjob-operator",
            dependencies: [
                .product(name: "SkiffClient", package: "Skiff"), .product(name: "SkiffAPI", package: "Skiff"),
                .product(name: "SkiffModels", package: "Skiff"), .product(name: "SkiffOperator", package: "Skiff"),
            ],
            exclude: ["README.md"]
        ),
    ] + [
        "out-of-cluster-client", "in-cluster-client", "create-update-delete-deployment",
        "dynamic-create-update-delete-deployment", "leader-election", "workqueue", "namespace-controller", "api-options",
    ].map { name in
        .executableTarget(
            name: name,
            dependencies: [
                "ExampleSupport", .product(name: "SkiffClient", package: "Skiff"), .product(name: "SkiffAPI", package: "Skiff"),
                .product(name: "SkiffModels", package: "Skiff"), .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        )
    } + [
        // client-go's fake-client example: a unit test against SkiffTesting's FakeAPIServer.
        .testTarget(
            name: "FakeClientTests",
            dependencies: [
                .product(name: "SkiffClient", package: "Skiff"), .product(name: "SkiffAPI", package: "Skiff"),
                .product(name: "SkiffModels", package: "Skiff"), .product(name: "SkiffTesting", package: "Skiff"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
