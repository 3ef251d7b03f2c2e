import Synchronization

/// Hands out values from a contiguous range — service cluster IPs (as 32-bit numbers) and node
/// ports — the way upstream's allocators do: a value is taken when an existing object uses it
/// (the caller passes those) or a write in flight reserved it; dynamic allocation picks at random
/// from the upper part of the range and uses the lower "static" band (left for values users ask
/// for) only when the rest is full.
final class RangeAllocator: Sendable {
    /// Why a value could not be had.
    enum Failure: Error {
        case outOfRange
        case taken
        case full
    }

    let first: UInt32
    let count: UInt32
    private let staticBand: UInt32
    /// Reservations of writes in flight. Each expires after `reservationLifetime`, by when its
    /// object is stored (and passed in as in use) or its write has failed; releasing early just
    /// frees the value sooner.
    private let reservations = Mutex<[UInt32: ContinuousClock.Instant]>([:])
    private static let reservationLifetime = Duration.seconds(300)

    /// A range of `count` values from `first`; the static band is `count / step`, kept within
    /// `minimumBand...maximumBand` (and none for ranges of at most `minimumBand` values).
    init(first: UInt32, count: UInt32, step: UInt32, minimumBand: UInt32, maximumBand: UInt32) {
        self.first = first
        self.count = count
        staticBand = count <= minimumBand ? 0 : min(max(count / step, minimumBand), maximumBand)
    }

    func contains(_ value: UInt32) -> Bool {
        value >= first && value - first < count
    }

    /// Reserves a value asked for.
    func reserve(_ value: UInt32, inUse: Set<UInt32>) throws(Failure) {
        guard contains(value) else { throw .outOfRange }
        try reservations.withLock { (reservations: inout [UInt32: ContinuousClock.Instant]) throws(Failure) in
            Self.dropExpired(&reservations)
            guard !inUse.contains(value), reservations[value] == nil else { throw .taken }
            reservations[value] = .now
        }
    }

    /// Reserves a free value of the range.
    func allocate(inUse: Set<UInt32>) throws(Failure) -> UInt32 {
        try reservations.withLock { (reservations: inout [UInt32: ContinuousClock.Instant]) throws(Failure) -> UInt32 in
            Self.dropExpired(&reservations)
            for band in [staticBand..<count, 0..<staticBand] where !band.isEmpty {
                let start = UInt32.random(in: band)
                for step in 0..<UInt32(band.count) {
                    let value = first + band.lowerBound + (start - band.lowerBound + step) % UInt32(band.count)
                    if !inUse.contains(value) && reservations[value] == nil {
                        reservations[value] = .now
                        return value
                    }
                }
            }
            throw .full
        }
    }

    /// Forgets a reservation (the write failed, or the object that held the value is gone).
    func release(_ value: UInt32) {
        _ = reservations.withLock { $0.removeValue(forKey: value) }
    }

    private static func dropExpired(_ reservations: inout [UInt32: ContinuousClock.Instant]) {
        let now = ContinuousClock.Instant.now
        reservations = reservations.filter { now - $0.value < reservationLifetime }
    }
}
