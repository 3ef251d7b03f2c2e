import Foundation
import Glibc

/// The address a node running on this machine reports as its `InternalIP` when none is set, as
/// upstream's kubelet chooses one without `--node-ip`: the IPv4 address of the interface the
/// default route goes through (`/proc/net/route`).
enum HostAddress {
    /// The default route's interface's IPv4 address; nil without a default route or address.
    static func defaultRouteIPv4() -> String? {
        guard let routes = try? String(contentsOfFile: "/proc/net/route", encoding: .utf8),
            let interface = defaultRouteInterface(routes: routes)
        else { return nil }
        return ipv4(of: interface)
    }

    /// The interface of the default route (destination and mask 0, the route up) in a
    /// `/proc/net/route` table; the first of several.
    static func defaultRouteInterface(routes: String) -> String? {
        for line in routes.split(separator: "\n").dropFirst() {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            // Iface Destination Gateway Flags RefCnt Use Metric Mask …; flag 0x1: the route is up.
            guard fields.count >= 8, fields[1] == "00000000", fields[7] == "00000000",
                let flags = UInt32(fields[3], radix: 16), flags & 0x1 != 0
            else { continue }
            return String(fields[0])
        }
        return nil
    }

    /// The first IPv4 address of `interface`.
    private static func ipv4(of interface: String) -> String? {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return nil }
        defer { freeifaddrs(list) }
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            guard String(cString: entry.pointee.ifa_name) == interface, let address = entry.pointee.ifa_addr,
                address.pointee.sa_family == sa_family_t(AF_INET)
            else { continue }
            var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            var ipv4 = address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr }
            guard inet_ntop(AF_INET, &ipv4, &text, socklen_t(text.count)) != nil else { continue }
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return nil
    }
}
