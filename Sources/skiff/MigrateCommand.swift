import ArgumentParser
import Logging
import SkiffStorage

/// `skiff migrate`: copies a stopped cluster's objects from one storage to another (SQLite to
/// etcd and back), in the order of their revisions, so the new resourceVersions keep the old
/// order; then checks the copy by count and checksum.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Copy a stopped cluster's state between storages (sqlite://PATH, etcd://HOST:PORT).")

    @Option(help: "The storage to copy from: sqlite://PATH, etcd://HOST:PORT[,...] or memory://.")
    var from: String

    @Option(help: "The storage to copy to; it must hold no key under --prefix.")
    var to: String

    @Option(help: "The keys to copy: every key with this prefix.")
    var prefix: String = "/registry/"

    @OptionGroup var etcd: EtcdOptions

    func run() async throws {
        let logger = Logger(label: "skiff-migrate")
        let source = try etcd.opener.open(from, logger: logger)
        let target = try etcd.opener.open(to, logger: logger)
        do {
            guard try await target.range(RangeRequest(prefix: prefix, limit: 1)).count == 0 else {
                throw ValidationError("\(to) already holds keys under \(prefix): migrate only into an empty store")
            }
            let (kvs, revision) = try await Self.readAll(source, prefix: prefix)
            for kv in kvs.sorted(by: { $0.modRevision < $1.modRevision }) {
                _ = try await target.create(kv.key, value: kv.value)
            }
            let (copied, _) = try await Self.readAll(target, prefix: prefix)
            let expected = Self.checksum(kvs)
            guard copied.count == kvs.count, Self.checksum(copied) == expected else {
                throw ValidationError("the copy differs: \(copied.count) keys in \(to), \(kvs.count) in \(from)")
            }
            Console.say("copied \(kvs.count) keys under \(prefix) from \(from) (revision \(revision)) to \(to); checksum \(String(expected, radix: 16)) verified")
        } catch {
            try? await source.close()
            try? await target.close()
            throw error
        }
        try await source.close()
        try await target.close()
    }

    /// Every key under `prefix` at one revision, in key order, and that revision.
    static func readAll(_ storage: any Storage, prefix: String) async throws -> ([KeyValue], Int64) {
        var request = RangeRequest(prefix: prefix, limit: 1000)
        var kvs: [KeyValue] = []
        while true {
            let page = try await storage.range(request)
            kvs += page.kvs
            request.revision = page.revision
            guard page.more, let last = page.kvs.last else { return (kvs, page.revision) }
            request.start = last.key + "\u{0}"
        }
    }

    /// FNV-1a over every key and value in key order (revisions differ between stores by design).
    static func checksum(_ kvs: [KeyValue]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for kv in kvs.sorted(by: { $0.key < $1.key }) {
            for byte in Array(kv.key.utf8) + [0] + kv.value + [0] {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
        }
        return hash
    }
}
