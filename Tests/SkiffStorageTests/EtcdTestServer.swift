import Foundation
import Logging
import SkiffEtcd
import SkiffStorage
import SkiffTesting
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A single-member etcd started for one test: Debian's `etcd` binary on free loopback ports with
/// a scratch data directory, stopped (and its directory removed) by `stop()`.
final class EtcdTestServer: Sendable {
    /// The etcd binary on PATH (or Debian's /usr/bin/etcd), nil when etcd is not installed.
    static let binary: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let candidates = path.split(separator: ":").map { "\($0)/etcd" } + ["/usr/bin/etcd"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// Why the etcd tests are skipped when they are.
    static let missingReason = "no etcd binary on PATH: install Debian's etcd-server to run the storage tests against etcd"

    let clientPort: Int
    let dataDirectory: URL
    private let process: Process

    /// Starts etcd and returns once it serves client requests (its log says so), or throws.
    static func start() async throws -> EtcdTestServer {
        guard let binary else { throw EtcdTestServerError(message: missingReason) }
        let clientPort = try freeLoopbackPort()
        let peerPort = try freeLoopbackPort()
        // On tmpfs where there is one: etcd syncs every write, which a loaded disk makes slow
        // enough to time requests out; these tests are about semantics, not durability.
        let scratch = FileManager.default.fileExists(atPath: "/dev/shm") ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory
        let directory = scratch.appendingPathComponent("skiff-etcd-\(UUID().uuidString)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        let client = "http://127.0.0.1:\(clientPort)"
        let peer = "http://127.0.0.1:\(peerPort)"
        process.arguments = [
            "--name", "test", "--data-dir", directory.path,
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", "test=\(peer)", "--initial-cluster-state", "new",
        ]
        let log = Pipe()
        process.standardError = log
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let server = EtcdTestServer(clientPort: clientPort, dataDirectory: directory, process: process)
        do {
            try await EtcdReadyLine.wait(in: log.fileHandleForReading, process: process)
        } catch {
            server.stop()
            throw EtcdTestServerError(message: "\(error) (port \(clientPort))")
        }
        return server
    }

    private init(clientPort: Int, dataDirectory: URL, process: Process) {
        self.clientPort = clientPort
        self.dataDirectory = dataDirectory
        self.process = process
    }

    var configuration: EtcdConfiguration {
        EtcdConfiguration(endpoints: [.init(host: "127.0.0.1", port: clientPort)])
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    /// A port nobody listens on now (the kernel's choice for port 0).
    private static func freeLoopbackPort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw EtcdTestServerError(message: "socket() failed") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(socketFD, socketAddress, length) == 0 && getsockname(socketFD, socketAddress, &length) == 0
            }
        }
        guard bound else { throw EtcdTestServerError(message: "could not bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Waits for etcd's "ready to serve client requests" log line, reading its log as it comes (and
/// draining it afterwards, so etcd never blocks on a full pipe). Fails when etcd exits first or
/// has not logged the line within a minute: a wait on the pipe alone could outlast an etcd that
/// died without its end of file being reported.
enum EtcdReadyLine {
    static let text = Data("ready to serve client requests".utf8)

    static func wait(in handle: FileHandle, process: Process) async throws {
        let seen = Mutex((log: Data(), ready: false))
        handle.readabilityHandler = { handle in
            let chunk = handle.availableData
            if chunk.isEmpty {
                handle.readabilityHandler = nil
                return
            }
            seen.withLock { seen in
                guard !seen.ready else { return }
                seen.log.append(chunk)
                seen.ready = seen.log.range(of: text) != nil
            }
        }
        let deadline = ContinuousClock.now + .seconds(60)
        while !seen.withLock({ $0.ready }) {
            guard process.isRunning else { throw EtcdTestServerError(message: "etcd exited before it served clients") }
            guard ContinuousClock.now < deadline else { throw EtcdTestServerError(message: "etcd did not serve clients within a minute") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

struct EtcdTestServerError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

/// An etcd store that stops its own etcd when closed, so conformance tests treat it as any backend.
final class EtcdTestStore: ForwardingStorage {
    let server: EtcdTestServer
    let store: EtcdStorage

    /// A store on a new etcd that has answered a first request: a member that just logged it is
    /// ready may still be electing itself on a loaded machine, past one request's timeout.
    static func open() async throws -> EtcdTestStore {
        let server = try await EtcdTestServer.start()
        let opened = EtcdTestStore(server: server, store: try EtcdStorage(configuration: server.configuration, logger: Logger(label: "test")))
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            do {
                _ = try await opened.store.currentRevision()
                return opened
            } catch where ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
            } catch {
                try? await opened.close()
                throw error
            }
        }
    }

    private init(server: EtcdTestServer, store: EtcdStorage) {
        self.server = server
        self.store = store
    }

    var base: any Storage { store }

    func close() async throws {
        try await store.close()
        server.stop()
    }
}
