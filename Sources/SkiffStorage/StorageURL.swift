import Logging

/// Opens a store from a URL: `memory://` or `sqlite://PATH` (`etcd://` is opened by the SkiffEtcd
/// module, which the API server's configuration plugs in).
public enum StorageURL {
    public static func open(_ url: String, logger: Logger) throws -> any Storage {
        if url == "memory://" || url == "memory" { return MemoryStorage() }
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw StorageError(.unavailable, message: "sqlite:// needs a file path, e.g. sqlite:///var/lib/skiff/skiff.db") }
            return try SQLiteStorage(path: path, logger: logger)
        }
        throw StorageError(.unavailable, message: "unsupported storage URL \"\(url)\": use memory://, sqlite://PATH or etcd://HOST:PORT")
    }
}
