import SkiffAPI

/// A terminal's size in characters, as the client's resize messages carry it
/// (`{"Width":80,"Height":24}`, upstream's `remotecommand.TerminalSize`).
public struct TerminalSize: Sendable, Hashable {
    /// Columns.
    public var width: UInt16
    /// Rows.
    public var height: UInt16

    /// A size of `width` columns and `height` rows.
    public init(width: UInt16, height: UInt16) {
        self.width = width
        self.height = height
    }

    /// Parses one resize message; nil when it is not a size (upstream ignores such messages).
    public init?(resizeMessage: some Collection<UInt8>) {
        guard let value = try? JSONValue(parsing: resizeMessage),
            let width = value["Width"]?.intValue, let height = value["Height"]?.intValue,
            let columns = UInt16(exactly: width), let rows = UInt16(exactly: height)
        else { return nil }
        self.init(width: columns, height: rows)
    }
}
