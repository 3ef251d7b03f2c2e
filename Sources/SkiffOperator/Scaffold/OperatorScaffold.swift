import Foundation

/// The files `skiff operator init` and `skiff operator create api` write (kubebuilder's
/// scaffolding): a Swift package that depends on Skiff and runs an operator on the SDK, and,
/// per API, a custom resource type and its reconciler, registered in the operator's `main` at
/// the scaffold markers. Pure: paths (relative to the package) and contents; the CLI writes them.
public enum OperatorScaffold {
    /// Where the scaffolded package gets Skiff from.
    public enum SkiffDependency: Sendable, Equatable {
        /// A Skiff checkout on this machine (works offline, builds against its sources).
        case path(String)
        /// A git URL and a minimum version.
        case url(String, from: String)
    }

    /// Marks where `create api` adds a resource to the operator's `main`.
    static let resourcesMarker = "// +skiff:scaffold:resources"
    /// Marks where `create api` adds a controller.
    static let controllersMarker = "// +skiff:scaffold:controllers"

    /// A name the scaffold can use for a package and executable: letters, digits and `-`,
    /// starting with a letter.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }

    /// The new package `name`: manifest, `main` (no APIs yet), README and `.gitignore`.
    public static func initialFiles(name: String, skiff: SkiffDependency) -> [String: String] {
        [
            "Package.swift": manifest(name: name, skiff: skiff),
            "Sources/\(name)/Operator.swift": operatorMain(name: name),
            "README.md": readme(name: name),
            ".gitignore": ".build/\nPackage.resolved\n",
        ]
    }

    /// The files of a new API `kind` in `group`/`version` (plural: the lowercased kind plus `s`
    /// unless given).
    public static func apiFiles(name: String, group: String, version: String, kind: String, plural: String? = nil) -> [String: String] {
        let plural = plural ?? kind.lowercased() + "s"
        return [
            "Sources/\(name)/\(kind).swift": resourceType(group: group, version: version, kind: kind, plural: plural),
            "Sources/\(name)/\(kind)Reconciler.swift": reconciler(kind: kind),
        ]
    }

    /// The operator's `main` with `kind` registered (its CRD and its controller); nil when the
    /// markers are gone (the file was rewritten by hand).
    public static func registering(kind: String, in main: String) -> String? {
        guard main.contains(resourcesMarker), main.contains(controllersMarker) else { return nil }
        var lines: [String] = []
        for line in main.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let indentation = String(line.prefix { $0 == " " })
            if line.trimmingCharacters(in: .whitespaces) == resourcesMarker {
                lines.append("\(indentation)\(kind).self,")
            } else if line.trimmingCharacters(in: .whitespaces) == controllersMarker {
                lines.append("\(indentation)manager.controller(for: \(kind).self).complete(\(kind)Reconciler(manager: manager))")
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    static func manifest(name: String, skiff: SkiffDependency) -> String {
        let dependency = switch skiff {
        case .path(let path): ".package(name: \"Skiff\", path: \"\(path)\")"
        case .url(let url, let version): ".package(url: \"\(url)\", from: \"\(version)\")"
        }
        let package = switch skiff {
        case .path: "Skiff"
        case .url(let url, _): String(url.split(separator: "/").last ?? "skiff").replacingOccurrences(of: ".git", with: "")
        }
        return """
            // swift-tools-version:6.1
            import PackageDescription

            /// The \(name) operator, built on Skiff's operator SDK (SkiffOperator).
            let package = Package(
                name: "\(name)",
                platforms: [.macOS(.v15)],
                dependencies: [
                    \(dependency),
                ],
                targets: [
                    .executableTarget(
                        name: "\(name)",
                        dependencies: [
                            .product(name: "SkiffOperator", package: "\(package)"),
                            .product(name: "SkiffClient", package: "\(package)"),
                            .product(name: "SkiffModels", package: "\(package)"),
                            .product(name: "SkiffAPI", package: "\(package)"),
                        ]
                    ),
                ],
                swiftLanguageModes: [.v6]
            )

            """
    }

    static func operatorMain(name: String) -> String {
        """
        import SkiffModels
        import SkiffOperator

        /// The operator's entry point: the SDK's command line (`--print-crd`, `--install-crd`,
        /// `--kubeconfig`, `--namespace`, `--leader-elect`), its CRDs and its controllers.
        /// `skiff operator create api` adds to the lists at the markers.
        @main
        struct Operator {
            static func main() async throws {
                try await OperatorMain.run(
                    name: "\(name)",
                    resources: [
                        \(resourcesMarker)
                    ]
                ) { manager in
                    \(controllersMarker)
                }
            }
        }

        """
    }

    static func resourceType(group: String, version: String, kind: String, plural: String) -> String {
        """
        import SkiffAPI
        import SkiffModels
        import SkiffOperator

        /// A \(kind) (`\(group)/\(version)`). Its CRD is generated from this type: change `Spec`
        /// and `Status`, then `--print-crd | kubectl apply -f -` again.
        struct \(kind): CustomResource {
            static let group = "\(group)"
            static let version = "\(version)"
            static let kind = "\(kind)"
            static let plural = "\(plural)"

            struct Spec: Codable, Sendable, Equatable {
                /// An example field: replace it with the resource's own.
                var message: String
            }

            struct Status: Codable, Sendable, Equatable {
                /// The message the reconciler last saw.
                var observedMessage: String?
                var conditions: [MetaV1.Condition]?
            }

            var metadata: ObjectMeta?
            var spec: Spec
            var status: Status?
        }

        """
    }

    static func reconciler(kind: String) -> String {
        """
        import SkiffClient
        import SkiffOperator

        /// Brings the world in line with one \(kind). The scaffold only reports what it saw in
        /// status (`observedMessage` and a `Ready` condition); create and own objects here.
        struct \(kind)Reconciler: ResourceReconciler {
            typealias Resource = \(kind)

            let manager: Manager

            func reconcile(_ request: Request) async throws -> ReconcileResult {
                guard var object = manager.lister(for: \(kind).self).namespace(request.namespace).get(request.name) else {
                    return .done
                }
                var status = object.status ?? \(kind).Status()
                status.observedMessage = object.spec.message
                var conditions = status.conditions ?? []
                conditions.set(
                    "Ready", status: .true, reason: "Reconciled", message: "observed the spec",
                    observedGeneration: object.metadata?.generation, now: manager.options.clock.now)
                status.conditions = conditions
                guard status != object.status else { return .done }
                object.status = status
                _ = try await manager.client(for: \(kind).self, namespace: request.namespace).updateStatus(object)
                return .done
            }
        }

        """
    }

    static func readme(name: String) -> String {
        """
        # \(name)

        An operator built on Skiff's operator SDK, scaffolded by `skiff operator init`.

        ```sh
        skiff operator create api --group example.com --version v1 --kind Greeting   # a custom resource and its reconciler
        swift build
        .build/debug/\(name) --print-crd | kubectl apply -f -                       # the CRDs, generated from the Swift types
        .build/debug/\(name)                                                         # runs against the current kubeconfig context
        ```

        """
    }
}
