import SkiffAPI
import SkiffStorage
import Synchronization

/// Hands out values from a contiguous range — service cluster IPs (as 32-bit numbers) and node
/// ports — the way upstream's bitmap allocators do: the state is a `RangeAllocation` object in
/// storage, read and written back with compare-and-swap on every change (so concurrent writes
/// never hand out a value twice, and the state survives restarts); dynamic allocation picks at
/// random from the upper part of the range and uses the lower "static" band (left for values
/// users ask for) only when the rest is full.
struct RangeAllocator: Sendable {
    /// Why a value could not be had.
    enum Failure: Error {
        case outOfRange
        case taken
        case full
    }

    /// The taken values of the range, as one change sees them.
    struct Allocations: Sendable {
        fileprivate(set) var bitmap: AllocationBitmap
        let first: UInt32
        let staticBand: Int

        func contains(_ value: UInt32) -> Bool {
            value >= first && Int(value - first) < bitmap.count
        }

        /// Takes a value asked for.
        mutating func reserve(_ value: UInt32) throws(Failure) {
            guard contains(value) else { throw .outOfRange }
            guard !bitmap.contains(Int(value - first)) else { throw .taken }
            bitmap.insert(Int(value - first))
        }

        /// Takes a free value: from a random start in the dynamic band, then the static band.
        mutating func allocate() throws(Failure) -> UInt32 {
            for band in [staticBand..<bitmap.count, 0..<staticBand] where !band.isEmpty {
                if let offset = bitmap.firstFree(in: band, from: Int.random(in: band)) {
                    bitmap.insert(offset)
                    return first + UInt32(offset)
                }
            }
            throw .full
        }

        /// Marks a value taken whether or not it was (values outside the range are ignored).
        mutating func take(_ value: UInt32) {
            if contains(value) { bitmap.insert(Int(value - first)) }
        }

        /// Gives a value back (values outside the range are ignored).
        mutating func release(_ value: UInt32) {
            if contains(value) { bitmap.remove(Int(value - first)) }
        }
    }

    /// The storage key (`/registry/ranges/serviceips`).
    let key: String
    /// The range as `RangeAllocation.range` spells it.
    let range: String
    let first: UInt32
    let count: UInt32
    private let staticBand: UInt32
    private let storage: any Storage
    /// The revision and state of this allocator's last write.
    private let lastWritten = LastWritten(nil)

    /// A range of `count` values from `first`; the static band is `count / step`, kept within
    /// `minimumBand...maximumBand` (and none for ranges of at most `minimumBand` values).
    init(key: String, range: String, first: UInt32, count: UInt32, step: UInt32, minimumBand: UInt32, maximumBand: UInt32,
         storage: any Storage) {
        self.key = key
        self.range = range
        self.first = first
        self.count = count
        self.storage = storage
        staticBand = count <= minimumBand ? 0 : min(max(count / step, minimumBand), maximumBand)
    }

    /// Applies `change` to the latest stored state and stores the result if it differs,
    /// compare-and-swap, again on the newer state after a conflict. A dry run stores nothing.
    /// The state this allocator last wrote stands for the stored one (no read) until a conflict
    /// says otherwise, as upstream's allocator keeps its last snapshot.
    func update<T>(dryRun: Bool, _ change: (inout Allocations) throws(APIError) -> T) async throws(APIError) -> T {
        do {
            while true {
                let (stored, before) = try await latest()
                var after = before
                let result = try change(&after)
                if dryRun || (stored != nil && after.bitmap == before.bitmap) { return result }
                let value = RangeAllocation(range: range, bitmap: after.bitmap).serialized
                do {
                    let written = if let stored {
                        try await storage.update(key, value: value, expectedModRevision: stored)
                    } else {
                        try await storage.create(key, value: value)
                    }
                    lastWritten.withLock { $0 = (written.modRevision, after) }
                    return result
                } catch let error as StorageError where [.conflict, .keyExists, .keyNotFound].contains(error.code) {
                    lastWritten.withLock { $0 = nil }
                    continue
                }
            }
        } catch let error as APIError {
            throw error
        } catch {
            throw .internalError("the \(range) allocations could not be stored: \(error)")
        }
    }

    /// The state to change and the revision it was stored at (nil: nothing stored yet).
    private func latest() async throws -> (revision: Int64?, allocations: Allocations) {
        if let known = lastWritten.withLock({ $0 }) { return known }
        let empty = Allocations(bitmap: AllocationBitmap(count: Int(count)), first: first, staticBand: Int(staticBand))
        guard let stored = try await storage.get(key, revision: 0) else { return (nil, empty) }
        return (stored.modRevision, allocations(in: stored) ?? empty)
    }

    /// Replaces the stored state with exactly `values` (the repair at start).
    func replace(with values: Set<UInt32>) async throws(APIError) {
        try await update(dryRun: false) { allocations in
            allocations.bitmap = AllocationBitmap(count: Int(count))
            values.forEach { allocations.take($0) }
        }
    }

    private func allocations(in kv: KeyValue) -> Allocations? {
        guard let object = try? JSONValue(parsing: kv.value),
              let stored = RangeAllocation(object: object, range: range, count: Int(count)) else { return nil }
        return Allocations(bitmap: stored.bitmap, first: first, staticBand: Int(staticBand))
    }
}

/// A mutex shared by the copies of a `RangeAllocator`.
private final class LastWritten: Sendable {
    private let value: Mutex<(revision: Int64?, allocations: RangeAllocator.Allocations)?>

    init(_ initial: (revision: Int64?, allocations: RangeAllocator.Allocations)?) {
        value = Mutex(initial)
    }

    func withLock<T>(_ body: (inout (revision: Int64?, allocations: RangeAllocator.Allocations)?) -> T) -> T {
        value.withLock { body(&$0) }
    }
}
