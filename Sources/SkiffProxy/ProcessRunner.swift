import Foundation

/// Runs a rule-programming tool (`nft`, `iptables-restore`, `iptables-save`, `iptables`) with
/// its input on stdin.
enum ProcessRunner {
    /// What a run ended with: its exit status and what it wrote (stdout and stderr together).
    struct Outcome: Sendable {
        var status: Int32
        var output: String
    }

    /// Runs `executable` with `arguments`, writing `input` to its stdin. The output goes to an
    /// unlinked temporary file, so that however much of it there is, it cannot block the tool.
    static func run(_ executable: String, _ arguments: [String], input: String = "") async throws -> Outcome {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("skiff-proxy-\(UUID().uuidString)").path
        guard FileManager.default.createFile(atPath: path, contents: nil), let output = FileHandle(forUpdatingAtPath: path) else {
            throw CocoaError(.fileWriteUnknown)
        }
        try? FileManager.default.removeItem(atPath: path)
        defer { try? output.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdin = Pipe()
        process.standardInput = stdin
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
            // The tools read all of their input before they answer, so the pipe cannot fill both ways.
            try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
            try? stdin.fileHandleForWriting.close()
        }
        try output.seek(toOffset: 0)
        return Outcome(status: status, output: String(decoding: try output.readToEnd() ?? Data(), as: UTF8.self))
    }
}
