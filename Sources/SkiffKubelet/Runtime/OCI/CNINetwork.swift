import Foundation
import SkiffAPI
import SkiffHostProcess

/// A pod's network through the standard CNI plugins (Debian's `containernetworking-plugins`),
/// called by the CNI protocol (CNI_* environment, the network config on stdin): `bridge` puts a
/// veth pair between the pod's namespace (`eth0`) and the node's bridge, whose address is the
/// subnet's gateway (`.1`), so pods reach each other and the host; IPAM is `static` with the
/// address the kubelet allocated (its `PodIPAllocator` hands them out as host-local would).
/// Ports are in hairpin mode, as upstream's kubelet sets them, for the service proxy.
struct CNINetwork: Sendable {
    /// Where the plugin binaries are.
    var pluginDirectory = "/usr/lib/cni"
    /// The node's bridge.
    var bridge = "skiff0"

    /// Whether the plugins this network uses are installed.
    var available: Bool {
        ["bridge", "static"].allSatisfy { FileManager.default.isExecutableFile(atPath: "\(pluginDirectory)/\($0)") }
    }

    /// Connects the namespace at `netns` (of sandbox `id`) with `address` from `subnet`.
    func add(id: String, netns: String, address: String, subnet: IPv4Subnet) async throws {
        try await call("ADD", id: id, netns: netns, config: config(address: address, subnet: subnet))
    }

    /// Disconnects it again (the veth pair goes; the bridge stays for the node's other pods).
    func delete(id: String, netns: String, address: String, subnet: IPv4Subnet) async {
        _ = try? await call("DEL", id: id, netns: netns, config: config(address: address, subnet: subnet))
    }

    /// The network configuration (CNI spec 1.0.0).
    func config(address: String, subnet: IPv4Subnet) -> JSONValue {
        [
            "cniVersion": "1.0.0", "name": "skiff", "type": "bridge", "bridge": .string(bridge), "isGateway": true, "ipMasq": false,
            // A pod reaching itself through a Service leaves and re-enters by its own bridge port.
            "hairpinMode": true,
            "ipam": [
                "type": "static",
                "addresses": [["address": .string("\(address)/\(subnet.prefixLength)"), "gateway": .string(subnet.address(at: 1))]],
                "routes": [["dst": "0.0.0.0/0"]],
            ],
        ]
    }

    private func call(_ command: String, id: String, netns: String, config: JSONValue) async throws {
        try await HostCommand.run(
            [
                "CNI_COMMAND=\(command)", "CNI_CONTAINERID=\(id)", "CNI_NETNS=\(netns)", "CNI_IFNAME=eth0", "CNI_PATH=\(pluginDirectory)",
                "\(pluginDirectory)/bridge",
            ], input: config.serialized())
    }
}
