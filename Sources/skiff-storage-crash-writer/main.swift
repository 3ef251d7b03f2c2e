// A test helper for the storage crash test: writes keys to a SQLite store with several
// concurrent writers and prints each key once its write is acknowledged, until killed.
import Foundation
import Logging
import SkiffStorage

guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: skiff-storage-crash-writer DB-PATH\n".utf8))
    exit(2)
}
let store = try SQLiteStorage(path: CommandLine.arguments[1], logger: Logger(label: "crash-writer"))
try await withThrowingTaskGroup(of: Void.self) { group in
    for writer in 0..<8 {
        group.addTask {
            var index = 0
            while true {
                let key = "/crash/\(writer)/\(index)"
                _ = try await store.create(key, value: Array(repeating: 7, count: 512))
                FileHandle.standardOutput.write(Data((key + "\n").utf8))
                index += 1
            }
        }
    }
    try await group.waitForAll()
}
