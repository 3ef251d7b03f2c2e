import ArgumentParser
import Foundation
import Logging
import SkiffAPIServer
import SkiffClient

/// The flags of the commands that run an API server (`skiff up`, `skiff apiserver`).
struct ServerOptions: ParsableArguments {
    @Option(help: "Where the cluster keeps its state (storage, admin.kubeconfig).")
    var dataDir: String = ServerOptions.defaultDataDir

    @Option(help: "The port the API server listens on.")
    var port: Int = 6443

    @Option(help: "The address the API server listens on.")
    var bindAddress: String = "127.0.0.1"

    @Option(help: "The storage: sqlite://PATH (default: DATA-DIR/skiff.db), memory:// or etcd://HOST:PORT[,HOST:PORT...].")
    var storage: String?

    @OptionGroup var etcd: EtcdOptions

    @Option(help: "Seconds between storage compactions; history older than one interval is dropped (reads of it get 410 Expired).")
    var compactionInterval: Int = 300

    @Option(name: .customLong("max-requests-inflight"), help: "Read-only requests served at once; more get 429 (0: no limit).")
    var maxRequestsInFlight: Int = 400

    @Option(name: .customLong("max-mutating-requests-inflight"), help: "Mutating requests served at once; more get 429 (0: no limit).")
    var maxMutatingRequestsInFlight: Int = 200

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .notice

    static var defaultDataDir: String {
        let home = ProcessInfo.processInfo.environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        return home + "/.skiff"
    }

    var storageURL: String { storage ?? "sqlite://\(dataDir)/skiff.db" }

    var kubeconfigPath: String { dataDir + "/admin.kubeconfig" }

    func makeLogger(label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = logLevel
        return logger
    }

    func prepareDataDir() throws {
        try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
    }

    func serviceConfiguration() -> APIServerService.Configuration {
        var configuration = APIServerService.Configuration(storageURL: storageURL, http: .init(host: bindAddress, port: port))
        configuration.openStorage = { [opener = etcd.opener] url, logger in try opener.open(url, logger: logger) }
        configuration.compactionInterval = .seconds(max(1, compactionInterval))
        configuration.server.maxRequestsInFlight = max(0, maxRequestsInFlight)
        configuration.server.maxMutatingRequestsInFlight = max(0, maxMutatingRequestsInFlight)
        return configuration
    }

    /// Writes the admin kubeconfig for the bound port.
    func writeKubeconfig(port: Int) throws {
        let host = bindAddress == "0.0.0.0" ? "127.0.0.1" : bindAddress
        let kubeconfig = Kubeconfig(context: "skiff", server: "http://\(host):\(port)", user: "admin", namespace: "default")
        try kubeconfig.yaml().write(toFile: kubeconfigPath, atomically: true, encoding: .utf8)
    }
}
