import Testing

@testable import SkiffProxy

/// The `nft -f` scripts a sync writes.
struct NFTTransactionTests {
    typealias F = ProxyFixtures

    @Test func firstSyncStartsFromAnEmptyTable() {
        let ruleset = F.ruleset([F.service("web")], [F.slice("web", [F.endpoint("10.128.0.5")])])
        let lines = NFTTransaction(table: "kube-proxy", desired: ruleset, previous: nil).script.split(separator: "\n").map(String.init)
        #expect(Array(lines.prefix(3)) == [
            "add table ip kube-proxy { comment \"rules for kube-proxy\" ; }", "delete table ip kube-proxy",
            "add table ip kube-proxy { comment \"rules for kube-proxy\" ; }",
        ])
        #expect(lines.contains("add chain ip kube-proxy nat-output { type nat hook output priority -100 ; }"))
        #expect(lines.contains("add map ip kube-proxy service-ips { type ipv4_addr . inet_proto . inet_service : verdict ; }"))
        #expect(lines.contains("flush map ip kube-proxy service-ips"))
        #expect(lines.contains("add rule ip kube-proxy nat-output jump services"))
        // Chains exist before rules and map elements refer to them.
        let firstRule = lines.firstIndex { $0.hasPrefix("add rule") } ?? 0
        let lastChain = lines.lastIndex { $0.hasPrefix("add chain") } ?? .max
        #expect(lastChain < firstRule)
        #expect(lines.last?.hasPrefix("add element ip kube-proxy service-ips { 10.96.0.10 . tcp . 80 : goto service-") == true)
        #expect(!lines.contains { $0.hasPrefix("delete chain") })
    }

    @Test func laterSyncsRemoveWhatIsNoLongerWanted() {
        let before = F.ruleset(
            [F.service("web", spec: ["sessionAffinity": "ClientIP"])], [F.slice("web", [F.endpoint("10.128.0.5"), F.endpoint("10.128.0.6")])])
        let after = F.ruleset([F.service("web", spec: ["sessionAffinity": "ClientIP"])], [F.slice("web", [F.endpoint("10.128.0.5")])])
        let script = NFTTransaction(table: "kube-proxy", desired: after, previous: before).script
        let lines = script.split(separator: "\n").map(String.init)
        #expect(!lines.contains("delete table ip kube-proxy"))
        let gone = before.chainNames(startingWith: "endpoint-").filter { $0.hasSuffix("__10.128.0.6/8080") }
        #expect(gone.count == 1)
        #expect(lines.suffix(3) == [
            "flush chain ip kube-proxy \(gone[0])", "delete chain ip kube-proxy \(gone[0])",
            "delete set ip kube-proxy \(gone[0].replacingOccurrences(of: "endpoint-", with: "affinity-"))",
        ])
        // The kept affinity set is added, never flushed: clients stay with their endpoint.
        #expect(lines.contains { $0.hasPrefix("add set ip kube-proxy affinity-") && $0.hasSuffix("flags dynamic,timeout ; timeout 10800s ; }") })
        #expect(!lines.contains { $0.hasPrefix("flush set") })
    }
}
