/// Deals a hand of distinct queue indexes from a deck, picked by a flow's hash (upstream's
/// shuffle sharding): flows with different hashes mostly get different hands, so one flow
/// filling its queues leaves most other flows a queue of their own.
struct ShuffleShardDealer: Sendable, Hashable {
    let deckSize: Int
    let handSize: Int

    /// A dealer of `handSize` cards out of `deckSize` (the hand is cut to the deck).
    init(deckSize: Int, handSize: Int) {
        self.deckSize = max(1, deckSize)
        self.handSize = max(1, min(handSize, self.deckSize))
    }

    /// The hand for `hash`: each card is a digit of the hash in a mixed radix (deck size, deck
    /// size less one, …), counted among the cards not dealt yet.
    func deal(_ hash: UInt64) -> [Int] {
        var remaining = hash
        var hand: [Int] = []
        hand.reserveCapacity(handSize)
        for dealt in 0..<handSize {
            let left = UInt64(deckSize - dealt)
            var card = Int(remaining % left)
            remaining /= left
            for taken in hand.sorted() where card >= taken { card += 1 }
            hand.append(card)
        }
        return hand
    }

    /// A stable hash of a flow (its schema and distinguisher): FNV-1a over the bytes, so a
    /// flow gets the same hand in every process.
    static func hash(_ parts: String...) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in parts {
            for byte in Array(part.utf8) + [0] {
                hash ^= UInt64(byte)
                hash = hash &* 0x100_0000_01b3
            }
        }
        return hash
    }
}
