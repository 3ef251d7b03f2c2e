import Foundation

/// Runs a host tool (`runc`, `ip`, `tar`, `mount`) to completion and captures its output.
enum HostCommand {
    /// What a finished command reported.
    struct Result: Sendable {
        var status: Int32
        var output: String
    }

    /// A host tool failed.
    struct Failure: Error, CustomStringConvertible {
        var command: [String]
        var result: Result
        var description: String { "\(command.joined(separator: " ")): exit \(result.status): \(result.output)" }
    }

    /// Runs `arguments` (the first is the tool, looked up in PATH); stdout and stderr together.
    @discardableResult
    static func run(_ arguments: [String], check: Bool = true) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        let result: Result = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                continuation.resume(returning: Result(status: finished.terminationStatus, output: String(decoding: data, as: UTF8.self)))
            }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        if check, result.status != 0 { throw Failure(command: arguments, result: result) }
        return result
    }

    /// Whether `tool` is on PATH.
    static func available(_ tool: String) -> Bool {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin"
        return path.split(separator: ":").contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)") }
    }
}
