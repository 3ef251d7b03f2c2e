import SkiffAPI
import SkiffStorage

/// The API servers' address records, as upstream's lease endpoint reconciler keeps them: one key
/// `/registry/masterleases/<ip>` per server, holding an `Endpoints` object named after the IP.
/// Upstream attaches an etcd lease (TTL) to each; the storage protocol has no leases, so each
/// record carries its expiry time (annotation `skiff.dev/lease-expires`, RFC 3339) and readers
/// skip and delete expired records. Expiry compares the writers' and readers' wall clocks, which
/// must roughly agree (an etcd lease would not need that).
struct MasterLeases: Sendable {
    static let prefix = "/registry/masterleases/"
    static let expiresAnnotation = "skiff.dev/lease-expires"

    let storage: any Storage
    /// How long a record lives without renewal (upstream: 15 s).
    let ttl: Duration

    /// Writes (or refreshes) the record of `ip`, valid for `ttl` from `now`.
    func renew(_ ip: String, now: Timestamp) async throws {
        let key = Self.prefix + ip
        let record: JSONValue = [
            "kind": "Endpoints", "apiVersion": "v1",
            "metadata": ["name": .string(ip), "annotations": [Self.expiresAnnotation: .string(now.advanced(by: ttl).rfc3339Micro)]],
            "subsets": [["addresses": [["ip": .string(ip)]]]],
        ]
        let value = record.serialized()
        var current = try await storage.get(key, revision: 0)
        while true {
            do {
                if let existing = current {
                    _ = try await storage.update(key, value: value, expectedModRevision: existing.modRevision)
                } else {
                    _ = try await storage.create(key, value: value)
                }
                return
            } catch let error as StorageError where [StorageError.Code.conflict, .keyExists, .keyNotFound].contains(error.code) {
                // Another server deleted or rewrote the record in between: write over what is there now.
                current = error.current
            }
        }
    }

    /// The IPs of the records valid at `now`, sorted; expired records are deleted (unless
    /// renewed meanwhile).
    func live(now: Timestamp) async throws -> [String] {
        let records = try await storage.range(RangeRequest(prefix: Self.prefix)).kvs
        var ips: [String] = []
        for kv in records {
            let ip = String(kv.key.dropFirst(Self.prefix.count))
            let object = try? JSONValue(parsing: kv.value)
            let expires = object?[path: "metadata", "annotations", Self.expiresAnnotation]?.stringValue.flatMap(Timestamp.init(rfc3339:))
            if let expires, now < expires {
                ips.append(ip)
            } else {
                _ = try? await storage.delete(kv.key, expectedModRevision: kv.modRevision)
            }
        }
        return ips.sorted()
    }

    /// Deletes the record of `ip` (a server stopping).
    func remove(_ ip: String) async throws {
        do {
            _ = try await storage.delete(Self.prefix + ip, expectedModRevision: nil)
        } catch let error as StorageError where error.code == .keyNotFound {
            return
        }
    }
}
