import ArgumentParser
import Foundation
import SkiffOperator

/// `skiff operator`: scaffolding for operators on the SDK (kubebuilder's `init` and `create api`).
struct OperatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operator", abstract: "Scaffold an operator package on Skiff's operator SDK.",
        subcommands: [Init.self, Create.self])

    /// `skiff operator init NAME`: a new package that builds and runs an (empty) operator.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a new operator package.")

        @Argument(help: "The operator's name: the package, its directory and its executable.")
        var name: String

        @Option(help: "Where to create it (default: ./NAME).")
        var directory: String?

        @Option(help: "Depend on the Skiff checkout at this path (default: the one this skiff was built from).")
        var skiffPath: String?

        @Option(help: "Depend on Skiff by git URL instead of a path (with --skiff-version).")
        var skiffURL: String?

        @Option(help: "The minimum Skiff version with --skiff-url.")
        var skiffVersion = "0.1.0"

        func run() throws {
            guard OperatorScaffold.isValidName(name) else {
                throw ValidationError("invalid name \(name): letters, digits and '-', starting with a letter")
            }
            let root = URL(fileURLWithPath: directory ?? name)
            guard !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) else {
                throw ValidationError("\(root.path) already holds a package")
            }
            let files = OperatorScaffold.initialFiles(name: name, skiff: try dependency())
            try ScaffoldWriter(root: root).write(files)
            print("Created the operator package \(name) in \(root.path). Next: skiff operator create api --directory \(root.path) --group GROUP --version v1 --kind KIND")
        }

        private func dependency() throws -> OperatorScaffold.SkiffDependency {
            if let skiffURL { return .url(skiffURL, from: skiffVersion) }
            if let skiffPath { return .path(URL(fileURLWithPath: skiffPath).standardizedFileURL.path) }
            guard let checkout = ScaffoldWriter.builtFromCheckout else {
                throw ValidationError("the Skiff sources this skiff was built from are gone: pass --skiff-path or --skiff-url")
            }
            return .path(checkout)
        }
    }

    /// `skiff operator create`: what can be added to an operator package.
    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add to an operator package.", subcommands: [API.self])
    }

    /// `skiff operator create api`: a custom resource type, its reconciler, registered in `main`.
    struct API: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "api", abstract: "Add a custom resource and its controller.")

        @Option(help: "The API group (example.com).")
        var group: String

        @Option(help: "The version (v1).")
        var version: String

        @Option(help: "The kind (Greeting).")
        var kind: String

        @Option(help: "The resource name (default: the lowercased kind plus s).")
        var plural: String?

        @Option(help: "The operator package (default: the current directory).")
        var directory = "."

        func run() throws {
            guard let first = kind.first, first.isUppercase, kind.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                throw ValidationError("invalid kind \(kind): letters and digits, starting with an upper-case letter")
            }
            let writer = ScaffoldWriter(root: URL(fileURLWithPath: directory))
            let name = try writer.executableName()
            let mainPath = "Sources/\(name)/Operator.swift"
            guard let main = OperatorScaffold.registering(kind: kind, in: try writer.read(mainPath)) else {
                throw ValidationError("\(mainPath) has no scaffold markers: add \(kind) to its resources and controllers by hand")
            }
            let files = OperatorScaffold.apiFiles(name: name, group: group, version: version, kind: kind, plural: plural)
            try writer.write(files, replacing: [mainPath: main])
            print("Added \(kind) (\(group)/\(version)) to \(name): \(files.keys.sorted().joined(separator: ", ")), registered in \(mainPath).")
        }
    }
}

/// Writes scaffolded files under a package directory.
struct ScaffoldWriter {
    let root: URL

    /// The Skiff checkout this binary was compiled from, if its sources are still there.
    static var builtFromCheckout: String? {
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let manifest = checkout.appendingPathComponent("Package.swift").path
        return FileManager.default.fileExists(atPath: manifest) ? checkout.path : nil
    }

    /// The operator's executable: the one directory under `Sources/`.
    func executableName() throws -> String {
        let sources = root.appendingPathComponent("Sources")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: sources.path)) ?? []
        guard names.count == 1, let name = names.first else {
            throw ValidationError("\(root.path) is not an operator package made by skiff operator init (one directory under Sources/)")
        }
        return name
    }

    func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// Writes new `files` (refusing to overwrite one) and replaces the contents of `replacing`.
    func write(_ files: [String: String], replacing: [String: String] = [:]) throws {
        for path in files.keys where FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path) {
            throw ValidationError("\(root.appendingPathComponent(path).path) exists already")
        }
        for (path, contents) in files.merging(replacing, uniquingKeysWith: { new, _ in new }) {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try contents.write(to: url, atomically: true, encoding: .utf8)
        }
    }
}
