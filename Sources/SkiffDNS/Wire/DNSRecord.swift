/// The class of every record Skiff serves: `IN`.
public let dnsClassInternet: UInt16 = 1

/// A question: a name and the type asked for (RFC 1035 §4.1.2).
public struct DNSQuestion: Sendable, Hashable {
    public var name: DNSName
    public var type: DNSRecordType
    public var recordClass: UInt16

    public init(name: DNSName, type: DNSRecordType, recordClass: UInt16 = dnsClassInternet) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
    }
}

/// A resource record (RFC 1035 §4.1.3).
public struct DNSRecord: Sendable, Hashable {
    public var name: DNSName
    public var recordClass: UInt16
    /// Seconds a resolver may cache the record.
    public var ttl: UInt32
    public var data: DNSRecordData

    public init(name: DNSName, ttl: UInt32, data: DNSRecordData, recordClass: UInt16 = dnsClassInternet) {
        self.name = name
        self.recordClass = recordClass
        self.ttl = ttl
        self.data = data
    }

    public var type: DNSRecordType { data.type }
}

/// The typed RDATA of the record types Skiff reads and writes; others are kept as bytes.
public enum DNSRecordData: Sendable, Hashable {
    /// An IPv4 address, 4 bytes.
    case a([UInt8])
    /// An IPv6 address, 16 bytes.
    case aaaa([UInt8])
    case cname(DNSName)
    case ptr(DNSName)
    case ns(DNSName)
    /// RFC 2782.
    case srv(priority: UInt16, weight: UInt16, port: UInt16, target: DNSName)
    case soa(SOA)
    /// Character strings of at most 255 bytes each.
    case txt([String])
    /// Any other type, its RDATA uncompressed.
    case other(DNSRecordType, [UInt8])

    /// A zone's start of authority (RFC 1035 §3.3.13).
    public struct SOA: Sendable, Hashable {
        public var primary: DNSName
        public var mailbox: DNSName
        public var serial: UInt32
        public var refresh: UInt32
        public var retry: UInt32
        public var expire: UInt32
        public var minimum: UInt32

        public init(primary: DNSName, mailbox: DNSName, serial: UInt32, refresh: UInt32, retry: UInt32, expire: UInt32, minimum: UInt32) {
            (self.primary, self.mailbox, self.serial) = (primary, mailbox, serial)
            (self.refresh, self.retry, self.expire, self.minimum) = (refresh, retry, expire, minimum)
        }
    }

    public var type: DNSRecordType {
        switch self {
        case .a: .a
        case .aaaa: .aaaa
        case .cname: .cname
        case .ptr: .ptr
        case .ns: .ns
        case .srv: .srv
        case .soa: .soa
        case .txt: .txt
        case .other(let type, _): type
        }
    }
}
