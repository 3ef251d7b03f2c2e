import SkiffAPI

/// A hard eviction threshold (upstream's `--eviction-hard` entry `memory.available<100Mi`): the
/// node is under pressure while the signal's available amount is below it.
public struct EvictionThreshold: Sendable, Hashable {
    /// What the kubelet watches (upstream's eviction signals).
    public enum Signal: String, Sendable, Hashable, CaseIterable {
        case memoryAvailable = "memory.available"
        case nodefsAvailable = "nodefs.available"
        case nodefsInodesFree = "nodefs.inodesFree"
        case imagefsAvailable = "imagefs.available"
        case imagefsInodesFree = "imagefs.inodesFree"
        case pidAvailable = "pid.available"

        /// The node condition the signal drives.
        var condition: NodePressure {
            switch self {
            case .memoryAvailable: .memory
            case .nodefsAvailable, .nodefsInodesFree, .imagefsAvailable, .imagefsInodesFree: .disk
            case .pidAvailable: .pid
            }
        }

        /// The resource an eviction for this signal reclaims, as its messages name it.
        var resource: String {
            switch self {
            case .memoryAvailable: "memory"
            case .nodefsAvailable, .imagefsAvailable: "ephemeral-storage"
            case .nodefsInodesFree, .imagefsInodesFree: "inodes"
            case .pidAvailable: "pids"
            }
        }
    }

    /// An amount (bytes, inodes or process IDs) or a share of the signal's capacity.
    public enum Value: Sendable, Hashable {
        case quantity(ResourceQuantity)
        /// A fraction in 0...1 (`10%` is 0.1).
        case percentage(Double)
    }

    public var signal: Signal
    public var value: Value

    public init(signal: Signal, value: Value) {
        self.signal = signal
        self.value = value
    }

    /// Upstream's Linux defaults: `memory.available<100Mi`, `nodefs.available<10%`,
    /// `nodefs.inodesFree<5%`, `imagefs.available<15%`, `imagefs.inodesFree<5%`.
    public static let defaults: [EvictionThreshold] = [
        EvictionThreshold(signal: .memoryAvailable, value: .quantity(ResourceQuantity(.string("100Mi"))!)),
        EvictionThreshold(signal: .nodefsAvailable, value: .percentage(0.10)),
        EvictionThreshold(signal: .nodefsInodesFree, value: .percentage(0.05)),
        EvictionThreshold(signal: .imagefsAvailable, value: .percentage(0.15)),
        EvictionThreshold(signal: .imagefsInodesFree, value: .percentage(0.05)),
    ]

    /// The thresholds of an `--eviction-hard` value (`memory.available<100Mi,nodefs.available<10%`),
    /// checked as upstream checks them; `0%` and `100%` switch a signal off.
    public static func parse(_ text: String) throws -> [EvictionThreshold] {
        var thresholds: [EvictionThreshold] = []
        for statement in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !statement.isEmpty {
            let parts = statement.split(separator: "<", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw EvictionConfigurationError("malformed pair, expect string<string: \(statement)") }
            guard let signal = Signal(rawValue: parts[0]) else { throw EvictionConfigurationError("unsupported eviction signal \(parts[0])") }
            let value = parts[1]
            if value.hasSuffix("%") {
                if value == "0%" || value == "100%" { continue }
                guard let percent = Double(value.dropLast()) else {
                    throw EvictionConfigurationError("invalid eviction threshold \(signal.rawValue): \(value) is not a percentage")
                }
                guard percent >= 0 else { throw EvictionConfigurationError("eviction percentage threshold \(signal.rawValue) must be >= 0%: \(value)") }
                guard percent <= 100 else { throw EvictionConfigurationError("eviction percentage threshold \(signal.rawValue) must be <= 100%: \(value)") }
                thresholds.append(EvictionThreshold(signal: signal, value: .percentage(percent / 100)))
                continue
            }
            guard let quantity = ResourceQuantity(.string(value)) else {
                throw EvictionConfigurationError("invalid eviction threshold \(signal.rawValue): quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
            }
            guard quantity.value > 0 else { throw EvictionConfigurationError("eviction threshold \(signal.rawValue) must be positive: \(value)") }
            thresholds.append(EvictionThreshold(signal: signal, value: .quantity(quantity)))
        }
        return thresholds
    }

    /// The least the signal may have available, for a signal of `capacity`.
    func minimum(capacity: Int64) -> Int64 {
        switch value {
        case .quantity(let quantity): quantity.value
        case .percentage(let fraction): Int64(fraction * Double(capacity))
        }
    }
}

/// A node condition the eviction manager sets (`MemoryPressure`, `DiskPressure`, `PIDPressure`).
enum NodePressure: String, Sendable, Hashable, CaseIterable, Comparable {
    case memory = "MemoryPressure"
    case disk = "DiskPressure"
    case pid = "PIDPressure"

    static func < (lhs: NodePressure, rhs: NodePressure) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// How a node running real containers evicts: its hard thresholds and how long a pressure
/// condition stays after its threshold is no longer met.
public struct EvictionConfiguration: Sendable, Hashable {
    /// `--eviction-hard` (upstream's Linux defaults unless set).
    public var hard: [EvictionThreshold] = EvictionThreshold.defaults
    /// `--eviction-pressure-transition-period` (5 min).
    public var pressureTransitionPeriod: Duration = .seconds(300)
    /// How often the signals are read and a pod may be evicted (upstream's housekeeping, 10 s).
    public var monitoringInterval: Duration = .seconds(10)

    public init() {}
}

/// A bad `--eviction-hard` value.
public struct EvictionConfigurationError: Error, CustomStringConvertible {
    public var description: String

    init(_ description: String) { self.description = description }
}
