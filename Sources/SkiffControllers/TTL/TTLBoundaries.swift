/// How long kubelets may cache the secrets and config maps their pods use, by cluster size
/// (upstream's `ttlBoundaries`): the annotation `node.alpha.kubernetes.io/ttl` carries it.
/// Neighbouring buckets overlap, so a cluster whose size wobbles at a limit keeps its TTL
/// (hysteresis): a larger bucket is taken only past the current one's maximum, a smaller one only
/// below the current one's minimum.
struct TTLBoundaries: Sendable {
    struct Bucket: Sendable {
        var sizeMin: Int
        var sizeMax: Int
        var ttlSeconds: Int
    }

    static let upstream: [Bucket] = [
        Bucket(sizeMin: 0, sizeMax: 100, ttlSeconds: 0),
        Bucket(sizeMin: 90, sizeMax: 500, ttlSeconds: 15),
        Bucket(sizeMin: 450, sizeMax: 1000, ttlSeconds: 30),
        Bucket(sizeMin: 900, sizeMax: 2000, ttlSeconds: 60),
        Bucket(sizeMin: 1800, sizeMax: Int(Int32.max), ttlSeconds: 300),
    ]

    var buckets = Self.upstream
    /// The bucket the cluster is in.
    private(set) var step = 0

    /// The TTL for the cluster's current bucket.
    var ttlSeconds: Int { buckets[step].ttlSeconds }

    /// Moves to the bucket for `nodeCount` nodes, keeping the current one while it still holds them.
    mutating func update(nodeCount: Int) {
        while step < buckets.count - 1, nodeCount > buckets[step].sizeMax { step += 1 }
        while step > 0, nodeCount < buckets[step].sizeMin { step -= 1 }
    }
}
