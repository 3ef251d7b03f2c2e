import ArgumentParser
import Foundation
import SkiffKubelet

/// `skiff images`: the images of the node that runs real containers (crictl's `images`,
/// ctr's `images import`), for machines without a registry.
struct ImagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "images", abstract: "List or import the images of the node that runs real containers.",
        subcommands: [List.self, Import.self], defaultSubcommand: List.self)

    /// Which node's store.
    struct Location: ParsableArguments {
        @Option(help: "Where the cluster keeps its state (skiff up's --data-dir).")
        var dataDir: String = ServerOptions.defaultDataDir

        @Option(help: "The kubelet's root directory (skiff kubelet's --root-dir; default: DATA-DIR/kubelet).")
        var rootDir: String?

        var importer: ImageImporter { ImageImporter(kubeletRoot: rootDir ?? dataDir + "/kubelet") }
    }

    /// `skiff images list`: name, tag, ID and size of every image, as `crictl images`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the images the node has.")

        @OptionGroup var location: Location

        func run() async throws {
            let rows = location.importer.images().map { image in
                let (repository, tag) = Self.split(image.name)
                return [repository, tag, String(image.id.split(separator: ":").last?.prefix(13) ?? ""), Self.size(image.size)]
            }
            print(Console.table([["IMAGE", "TAG", "IMAGE ID", "SIZE"]] + rows), terminator: "")
        }

        /// `docker.io/library/busybox:latest` → (`docker.io/library/busybox`, `latest`); a digest reference has tag `<none>`.
        static func split(_ name: String) -> (String, String) {
            if let at = name.firstIndex(of: "@") { return (String(name[..<at]), "<none>") }
            guard let colon = name.lastIndex(of: ":"), !name[colon...].contains("/") else { return (name, "<none>") }
            return (String(name[..<colon]), String(name[name.index(after: colon)...]))
        }

        /// Decimal units, as crictl prints sizes (`4.27MB`).
        static func size(_ bytes: Int64) -> String {
            let units = ["B", "kB", "MB", "GB", "TB"]
            var value = Double(bytes)
            var unit = 0
            while value >= 1000, unit < units.count - 1 {
                value /= 1000
                unit += 1
            }
            return unit == 0 ? "\(bytes)B" : String(format: "%.3g%@", value, units[unit])
        }
    }

    /// `skiff images import FILE…`: OCI layouts and `docker save` archives into the store.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import images from OCI image layouts (directories or tar archives) or docker save archives.",
            discussion: """
                The node sees imported images at once: a pod whose imagePullPolicy is IfNotPresent \
                or Never starts from them without a registry. Works while the cluster runs.
                """)

        @OptionGroup var location: Location

        @Option(help: "The repository of images a layout names only by tag (org.opencontainers.image.ref.name: latest).")
        var name: String?

        @Argument(help: "The layouts or archives to import.")
        var files: [String]

        func run() async throws {
            for file in files {
                do {
                    for image in try await location.importer.load(file, repository: name) { print("imported \(image)") }
                } catch let error as ImageImportError {
                    FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
                    throw ExitCode.failure
                }
            }
        }
    }
}
