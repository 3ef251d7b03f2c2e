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

    /// Runs `arguments` (the first is the tool, looked up in PATH, or `NAME=value` settings for its
    /// environment before it); stdout and stderr together; `input` is written to its stdin.
    @discardableResult
    static func run(_ arguments: [String], input: [UInt8]? = nil, check: Bool = true) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let stdin = input.map { _ in Pipe() }
        process.standardInput = stdin ?? FileHandle.nullDevice
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
                return
            }
            if let stdin, let input {
                // A tool that exits without reading its input is reported by its status.
                try? stdin.fileHandleForWriting.write(contentsOf: input)
                try? stdin.fileHandleForWriting.close()
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
