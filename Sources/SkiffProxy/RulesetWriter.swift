import Foundation

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
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments + ["-f", "-"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
                return
            }
            // nft reads all of its input before it answers, so the pipe cannot fill both ways.
            try? input.fileHandleForWriting.write(contentsOf: Data(script.utf8))
            try? input.fileHandleForWriting.close()
        }
        guard status == 0 else {
            let said = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw Failure(status: status, output: said)
        }
    }
}
