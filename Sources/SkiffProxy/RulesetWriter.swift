import Foundation
import SkiffHostProcess

/// Where a proxy's transactions go: the kernel through `nft`, or a recorder in tests and
/// benchmarks.
public protocol RulesetWriter: Sendable {
    /// Applies `script` (`nft -f` input) as one transaction.
    func apply(_ script: String) async throws
}

/// Writes transactions with Debian's `nft` (package `nftables`): `nft -f -`, the script on stdin.
public struct NFTCommand: RulesetWriter {
    /// `nft` failed; `output` is what it said.
    public struct Failure: Error, CustomStringConvertible {
        public var status: Int32
        public var output: String
        public var description: String { "nft exited with \(status): \(output)" }
    }

    /// The path of `nft`.
    public var executable: String
    /// Extra arguments before `-f -` (`--check` validates without applying).
    public var arguments: [String]

    public init(executable: String = "/usr/sbin/nft", arguments: [String] = []) {
        self.executable = executable
        self.arguments = arguments
    }

    /// The first of `candidates` that exists and is executable: where `nft` is on this host.
    public static func find(in candidates: [String] = ["/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft"]) -> String? {
        candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    public func apply(_ script: String) async throws {
        let outcome = try await HostCommand.run([executable] + arguments + ["-f", "-"], input: Array(script.utf8), check: false)
        guard outcome.status == 0 else { throw Failure(status: outcome.status, output: outcome.output) }
    }
}
