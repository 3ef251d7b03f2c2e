// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Skiff",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "skiff", targets: ["skiff"]),
        .library(name: "SkiffAPI", targets: ["SkiffAPI"]),
        .library(name: "SkiffStorage", targets: ["SkiffStorage"]),
        .library(name: "SkiffClient", targets: ["SkiffClient"]),
        .library(name: "SkiffModels", targets: ["SkiffModels"]),
        .library(name: "SkiffComponentHelpers", targets: ["SkiffComponentHelpers"]),
        .library(name: "SkiffControllers", targets: ["SkiffControllers"]),
        .library(name: "SkiffKubelet", targets: ["SkiffKubelet"]),
        .library(name: "SkiffScheduler", targets: ["SkiffScheduler"]),
        .library(name: "SkiffTesting", targets: ["SkiffTesting"]),
        .library(name: "SkiffCEL", targets: ["SkiffCEL"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.46.0"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // API machinery: the JSON object model, metadata, selectors, Status errors.
        .target(name: "SkiffAPI"),
        // Schemas of the built-in kinds, generated from the upstream OpenAPI document (hack/codegen).
        .target(name: "SkiffSchemas", dependencies: ["SkiffAPI"]),
        // Typed Swift models of the built-in kinds, generated from the upstream OpenAPI document (hack/codegen).
        .target(name: "SkiffModels", dependencies: ["SkiffAPI"]),
        // Protobuf: Kubernetes' wire format (generated message table, schema-driven codec) and gnostic's OpenAPI v2 document.
        .target(name: "SkiffProtobuf", dependencies: ["SkiffAPI"]),
        // The Common Expression Language with Kubernetes' libraries: CRD validation rules and admission policies.
        .target(name: "SkiffCEL", dependencies: ["SkiffAPI"]),
        // The system SQLite library, used by the embedded storage backend.
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        // Revisioned key/value storage with etcd v3 semantics: memory and SQLite backends.
        .target(
            name: "SkiffStorage",
            dependencies: ["CSQLite", .product(name: "Logging", package: "swift-log"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")]
        ),
        // The generic registry: resource descriptions, strategies, the store, the watch cache.
        .target(
            name: "SkiffRegistry",
            dependencies: [
                "SkiffAPI", "SkiffSchemas", "SkiffStorage",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // CustomResourceDefinitions served through the generic registry: schema validation, pruning,
        // defaulting, CEL rules, and the naming/establishing/cleanup controller.
        .target(
            name: "SkiffAPIExtensions",
            dependencies: ["SkiffAPI", "SkiffCEL", "SkiffSchemas", "SkiffRegistry", .product(name: "Logging", package: "swift-log")]
        ),
        // The client toolkit (client-go for Swift): work queues, rate limiters, caches, clients.
        .target(
            name: "SkiffClient",
            dependencies: [
                "SkiffAPI", "SkiffModels",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Placement rules shared by the scheduler and the controllers that place or evict pods
        // (upstream's k8s.io/component-helpers): node affinity, taints and tolerations; and the
        // quota arithmetic the ResourceQuota admission plugin and the quota controller share.
        .target(name: "SkiffComponentHelpers", dependencies: ["SkiffAPI", "SkiffModels"]),
        // The controller manager: namespace, service account, garbage collector, replica set controllers.
        .target(
            name: "SkiffControllers",
            dependencies: [
                "SkiffClient", "SkiffAPI", "SkiffComponentHelpers", "SkiffModels",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Kubelets with a simulated container runtime: node registration, heartbeats, the pod lifecycle.
        .target(
            name: "SkiffKubelet",
            dependencies: [
                "SkiffClient", "SkiffAPI", "SkiffAPIServer", "SkiffModels",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The scheduler: scheduling queue, cache of node infos, filter and score plugins, binding.
        .target(
            name: "SkiffScheduler",
            dependencies: [
                "SkiffClient", "SkiffAPI", "SkiffComponentHelpers", "SkiffModels",
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The cluster's public key infrastructure: the CA, serving and client certificates, kubeconfigs
        // that embed them (swift-certificates and swift-crypto; no openssl).
        .target(
            name: "SkiffPKI",
            dependencies: [
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        // HTTP serving: routing, content negotiation, watch streaming, discovery, OpenAPI.
        .target(
            name: "SkiffAPIServer",
            dependencies: [
                "SkiffAPI", "SkiffAPIExtensions", "SkiffPKI", "SkiffSchemas", "SkiffProtobuf", "SkiffRegistry", "SkiffStorage",
                "SkiffComponentHelpers",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Test support for Skiff's own tests and for controller authors: a manual clock, waits with
        // deadlines, in-process clusters.
        .target(
            name: "SkiffTesting",
            dependencies: [
                "SkiffAPI", "SkiffAPIServer", "SkiffClient",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Test helper: writes to a SQLite store until killed (the storage crash test).
        .executableTarget(
            name: "skiff-storage-crash-writer",
            dependencies: ["SkiffStorage", .product(name: "Logging", package: "swift-log")]
        ),
        // The measurements `skiff bench` runs: storage, server-side apply, informers, the scheduler, kubelets.
        .target(
            name: "SkiffBenchmarks",
            dependencies: [
                "SkiffAPI", "SkiffClient", "SkiffModels", "SkiffScheduler", "SkiffSchemas", "SkiffStorage", "SkiffTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The CLI: one command per component, `skiff up` for a whole cluster, `skiff bench`.
        .executableTarget(
            name: "skiff",
            dependencies: [
                "SkiffAPI", "SkiffAPIServer", "SkiffBenchmarks", "SkiffClient", "SkiffControllers", "SkiffKubelet", "SkiffPKI", "SkiffScheduler",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "SkiffAPITests", dependencies: ["SkiffAPI", "SkiffTesting"]),
        .testTarget(name: "SkiffCELTests", dependencies: ["SkiffCEL", "SkiffAPI"]),
        .testTarget(name: "SkiffAPIExtensionsTests", dependencies: ["SkiffAPIExtensions", "SkiffAPI", "SkiffRegistry"]),
        .testTarget(name: "SkiffComponentHelpersTests", dependencies: ["SkiffComponentHelpers", "SkiffModels"]),
        .testTarget(name: "SkiffSchemasTests", dependencies: ["SkiffSchemas", "SkiffAPI"]),
        .testTarget(
            name: "SkiffModelsTests",
            dependencies: [
                "SkiffModels", "SkiffAPI", "SkiffAPIServer", "SkiffClient", "SkiffRegistry", "SkiffStorage", "SkiffTesting",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SkiffClientTests",
            dependencies: ["SkiffClient", "SkiffAPI", "SkiffTesting", .product(name: "NIOSSL", package: "swift-nio-ssl")]
        ),
        // The client against a real API server started in process.
        .testTarget(
            name: "SkiffClientIntegrationTests",
            dependencies: [
                "SkiffClient", "SkiffAPI", "SkiffAPIServer", "SkiffModels", "SkiffTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The controllers against a real API server started in process.
        .testTarget(
            name: "SkiffControllersTests",
            dependencies: [
                "SkiffControllers", "SkiffClient", "SkiffAPI", "SkiffAPIServer", "SkiffModels", "SkiffTesting",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The kubelets against a real API server started in process.
        .testTarget(
            name: "SkiffKubeletTests",
            dependencies: [
                "SkiffKubelet", "SkiffClient", "SkiffAPI", "SkiffAPIServer", "SkiffModels", "SkiffTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The scheduler's plugins and queue, and the scheduler against a real API server started in process.
        .testTarget(
            name: "SkiffSchedulerTests",
            dependencies: [
                "SkiffScheduler", "SkiffClient", "SkiffAPI", "SkiffAPIServer", "SkiffModels", "SkiffTesting",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "SkiffStorageTests",
            dependencies: ["SkiffStorage", "skiff-storage-crash-writer", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "SkiffPKITests", dependencies: ["SkiffPKI", .product(name: "X509", package: "swift-certificates")]),
        .testTarget(name: "SkiffProtobufTests", dependencies: ["SkiffProtobuf", "SkiffSchemas", "SkiffAPI"]),
        .testTarget(name: "SkiffRegistryTests", dependencies: ["SkiffRegistry", "SkiffAPI", "SkiffStorage"]),
        // The API server's request pipeline (filters, admission, allocators), driven in process
        // and over a socket.
        .testTarget(
            name: "SkiffAPIServerTests",
            dependencies: [
                "SkiffAPIServer", "SkiffAPI", "SkiffPKI", "SkiffRegistry", "SkiffStorage", "SkiffTesting",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
