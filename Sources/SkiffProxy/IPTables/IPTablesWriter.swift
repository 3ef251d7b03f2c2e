import Foundation
import SkiffHostProcess

/// Where the proxy's iptables rules go: the kernel through Debian's `iptables` tools, or a
/// recorder in tests.
public protocol IPTablesWriter: Sendable {
    /// Applies `input` with `iptables-restore --noflush` (one transaction per table).
    func restore(_ input: String) async throws
    /// The `iptables-save` output of `table`.
    func save(table: String) async throws -> String
    /// Runs `iptables` with `arguments`; false when it exits with a failure (a `-C` that finds no rule).
    func run(_ arguments: [String]) async throws -> Bool
}

/// Runs Debian's `iptables`, `iptables-restore` and `iptables-save` (package `iptables`;
/// whichever backend, nft or legacy, the host's alternatives select), waiting for the xtables lock.
public struct IPTablesCommand: IPTablesWriter {
    /// A tool failed; `output` is what it said.
    public struct Failure: Error, CustomStringConvertible {
        public var tool: String
        public var status: Int32
        public var output: String
        public var description: String { "\(tool) exited with \(status): \(output)" }
    }

    /// The directory of the tools.
    public var directory: String

    public init(directory: String = "/usr/sbin") {
        self.directory = directory
    }

    /// The first of `candidates` holding an executable `iptables-restore`: where the tools are on this host.
    public static func find(in candidates: [String] = ["/usr/sbin", "/sbin", "/usr/bin"]) -> String? {
        candidates.first { directory in
            ["iptables", "iptables-restore", "iptables-save"].allSatisfy { FileManager.default.isExecutableFile(atPath: "\(directory)/\($0)") }
        }
    }

    public func restore(_ input: String) async throws {
        _ = try await checked("iptables-restore", ["-w", "--noflush"], input: input)
    }

    public func save(table: String) async throws -> String {
        try await checked("iptables-save", ["-t", table])
    }

    public func run(_ arguments: [String]) async throws -> Bool {
        try await HostCommand.run(["\(directory)/iptables", "-w"] + arguments, check: false).status == 0
    }

    private func checked(_ tool: String, _ arguments: [String], input: String = "") async throws -> String {
        let outcome = try await HostCommand.run(["\(directory)/\(tool)"] + arguments, input: Array(input.utf8), check: false)
        guard outcome.status == 0 else { throw Failure(tool: tool, status: outcome.status, output: outcome.output) }
        return outcome.output
    }
}
