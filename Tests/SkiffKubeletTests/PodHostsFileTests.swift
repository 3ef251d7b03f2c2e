import SkiffAPI
import SkiffModels
import Testing

@testable import SkiffKubelet

/// The managed `/etc/hosts` the kubelet binds into a pod's containers.
struct PodHostsFileTests {
    static func pod(_ spec: JSONValue) -> CoreV1.Pod {
        var spec = spec
        spec["containers"] = [["name": "c", "image": "busybox"]]
        let pod: JSONValue = ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": "web-0", "namespace": "shop"], "spec": spec]
        return pod.typed()
    }

    static let standardLines = """
        # Kubernetes-managed hosts file.
        127.0.0.1\tlocalhost
        ::1\tlocalhost ip6-localhost ip6-loopback
        fe00::0\tip6-localnet
        fe00::0\tip6-mcastprefix
        fe00::1\tip6-allnodes
        fe00::2\tip6-allrouters

        """

    @Test func aPodResolvesLocalhostAndItsOwnName() {
        let file = PodHostsFile(pod: Self.pod([:]), podIP: "10.128.0.7", clusterDomain: "cluster.local", nodeHosts: { Issue.record("read"); return "" })
        #expect(file.text == Self.standardLines + "10.128.0.7\tweb-0\n")
    }

    @Test func aSubdomainGivesTheFullNameFirstAndAliasesFollow() {
        let pod = Self.pod([
            "hostname": "db", "subdomain": "dbs",
            "hostAliases": [["ip": "10.1.2.3", "hostnames": ["foo.local", "bar.local"]], ["ip": "10.1.2.4", "hostnames": ["baz"]]],
        ])
        let file = PodHostsFile(pod: pod, podIP: "10.128.0.7", clusterDomain: "example.org", nodeHosts: { "" })
        #expect(
            file.text == Self.standardLines + """
                10.128.0.7\tdb.dbs.shop.svc.example.org\tdb

                # Entries added by HostAliases.
                10.1.2.3\tfoo.local\tbar.local
                10.1.2.4\tbaz

                """)
    }

    @Test func aHostNetworkPodGetsTheNodesFile() {
        let pod = Self.pod(["hostNetwork": true, "hostAliases": [["ip": "10.1.2.3", "hostnames": ["foo"]]]])
        let file = PodHostsFile(pod: pod, podIP: "172.16.0.1", clusterDomain: "cluster.local", nodeHosts: { "127.0.0.1\tlocalhost\n172.16.0.1\tnode\n" })
        #expect(
            file.text == """
                # Kubernetes-managed hosts file (host network).
                127.0.0.1\tlocalhost
                172.16.0.1\tnode

                # Entries added by HostAliases.
                10.1.2.3\tfoo

                """)
    }
}
