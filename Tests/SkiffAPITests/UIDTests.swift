import SkiffAPI
import Testing

@Suite struct UIDTests {
    @Test func uidsAreLowercaseVersionFourUUIDs() {
        let uids = (0..<200).map { _ in UID.random() }
        #expect(Set(uids).count == uids.count)
        for uid in uids {
            let groups = uid.split(separator: "-", omittingEmptySubsequences: false)
            #expect(groups.map(\.count) == [8, 4, 4, 4, 12])
            #expect(uid.allSatisfy { "0123456789abcdef-".contains($0) })
            #expect(groups[2].first == "4")
            #expect("89ab".contains(groups[3].first!))
        }
    }
}
