import SkiffAPI

/// A Kubernetes quantity as CEL's `quantity()` returns it: exact value in nano-units (from
/// SkiffAPI's `ResourceQuantity`) and the text it was written as.
public struct CELQuantity: Sendable, Equatable {
    /// The value in units of 10⁻⁹.
    public var nanos: Int128
    /// The quantity's text.
    public var text: String

    /// Parses a quantity; nil when `text` is not one.
    public init?(_ text: String) {
        guard let parsed = ResourceQuantity(.string(text)) else { return nil }
        nanos = parsed.nanos
        self.text = text
    }

    init(nanos: Int128) {
        self.nanos = nanos
        let whole = nanos / 1_000_000_000
        let remainder = nanos % 1_000_000_000
        if remainder == 0 {
            text = String(whole)
        } else if remainder % 1_000_000 == 0 {
            text = "\(nanos / 1_000_000)m"
        } else {
            text = "\(nanos)n"
        }
    }
}
