/// One file of a volume's contents (a config map or secret key, a downward API item, a token):
/// its path relative to the volume, its bytes and its permission bits.
struct VolumeFile: Sendable, Hashable {
    /// Upstream's default permission bits of projected files (`0644`).
    static let defaultMode: Int32 = 0o644

    var data: [UInt8]
    var mode: Int32

    /// A file holding `data` with permission bits `mode`.
    init(_ data: [UInt8], mode: Int32 = Self.defaultMode) {
        self.data = data
        self.mode = mode
    }

    /// A file holding `text` as UTF-8.
    init(text: String, mode: Int32 = Self.defaultMode) {
        self.init(Array(text.utf8), mode: mode)
    }
}
