"""End-to-end: cluster DNS. `skiff up` serves it and lists the kube-dns Service in `kubectl
cluster-info`; a real pod (runc, busybox) resolves a service name and a headless pod's
hostname.subdomain name against the server's endpoint address (until kube-proxy answers on the
ClusterIP) and gets a ClusterFirst resolv.conf; SRV, PTR, NXDOMAIN and TCP are checked from the
host with a small stdlib DNS client. Pod tests reuse test_runtime's registry and cluster (same
requirements, same skips).
"""
import json
import random
import socket
import struct

import pytest

from conftest import kubectl, wait_for
from test_probes import busybox_pod, create, needs_cni
from test_runtime import missing, ns, pod_json, real_cluster, registry  # noqa: F401 (fixtures)

TYPES = {"A": 1, "CNAME": 5, "SOA": 6, "PTR": 12, "TXT": 16, "AAAA": 28, "SRV": 33}


def encode_name(name):
    return b"".join(bytes([len(label)]) + label.encode() for label in name.rstrip(".").split(".")) + b"\0"


def read_name(message, offset):
    labels, end = [], None
    while True:
        length = message[offset]
        if length & 0xC0 == 0xC0:
            end = end or offset + 2
            offset = (length & 0x3F) << 8 | message[offset + 1]
            continue
        if length == 0:
            return ".".join(labels), end or offset + 1
        labels.append(message[offset + 1:offset + 1 + length].decode())
        offset += 1 + length


def query(server, port, name, qtype="A", tcp=False):
    """Sends one query; returns (rcode, truncated, [(name, type, data)]) of the answer section."""
    ident = random.randrange(1 << 16)
    packet = struct.pack(">HHHHHH", ident, 0x0100, 1, 0, 0, 0) + encode_name(name) + struct.pack(">HH", TYPES[qtype], 1)
    if tcp:
        with socket.create_connection((server, port), timeout=5) as sock:
            sock.sendall(struct.pack(">H", len(packet)) + packet)
            length = struct.unpack(">H", sock.recv(2))[0]
            message = b""
            while len(message) < length:
                message += sock.recv(length - len(message))
    else:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.settimeout(5)
            sock.sendto(packet, (server, port))
            message = sock.recv(65535)
    got, flags, qdcount, ancount = struct.unpack(">HHHH", message[:8])
    assert got == ident
    offset = 12
    for _ in range(qdcount):
        offset = read_name(message, offset)[1] + 4
    answers = []
    for _ in range(ancount):
        owner, offset = read_name(message, offset)
        rtype, _, _, length = struct.unpack(">HHIH", message[offset:offset + 10])
        offset += 10
        data = message[offset:offset + length]
        if rtype == TYPES["A"]:
            value = socket.inet_ntoa(data)
        elif rtype in (TYPES["PTR"], TYPES["CNAME"]):
            value = read_name(message, offset)[0]
        elif rtype == TYPES["SRV"]:
            value = struct.unpack(">HHH", data[:6]) + (read_name(message, offset + 6)[0],)
        else:
            value = data
        answers.append((owner, rtype, value))
        offset += length
    return flags & 0xF, bool(flags & 0x0200), answers


def dns_endpoint(cluster):
    """(address, port) the kube-dns Endpoints name."""
    subset = json.loads(cluster.kubectl("get", "endpoints", "kube-dns", "-n", "kube-system", "-o", "json").stdout)["subsets"][0]
    return subset["addresses"][0]["ip"], subset["ports"][0]["port"]


def wait_for_dns(cluster):
    wait_for(lambda: cluster.kubectl("get", "endpoints", "kube-dns", "-n", "kube-system", check=False).returncode == 0,
             timeout=30, message="the kube-dns endpoints")
    return dns_endpoint(cluster)


def test_cluster_info_lists_kube_dns(cluster):
    wait_for_dns(cluster)
    info = kubectl("cluster-info").stdout
    assert "KubeDNS is running at %s/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy" % cluster.server in info
    service = json.loads(kubectl("get", "service", "kube-dns", "-n", "kube-system", "-o", "json").stdout)
    assert service["spec"]["clusterIP"] == "10.96.0.10"
    assert [(p["name"], p["port"], p["protocol"]) for p in service["spec"]["ports"]] == [
        ("dns", 53, "UDP"), ("dns-tcp", 53, "TCP"), ("metrics", 9153, "TCP")]
    assert service["metadata"]["labels"]["k8s-app"] == "kube-dns"
    slices = json.loads(kubectl("get", "endpointslices", "-n", "kube-system", "-l", "kubernetes.io/service-name=kube-dns", "-o", "json").stdout)
    assert [e["addresses"] for e in slices["items"][0]["endpoints"]] == [["10.128.0.1"]]


def test_services_srv_ptr_and_nxdomain_from_the_host(cluster, namespace):
    _, port = wait_for_dns(cluster)
    kubectl("create", "service", "clusterip", "web", "--tcp=80:8080", "-n", namespace)
    ip = kubectl("get", "service", "web", "-n", namespace, "-o", "jsonpath={.spec.clusterIP}").stdout
    name = "web.%s.svc.cluster.local" % namespace
    wait_for(lambda: query("127.0.0.1", port, name)[2] != [], timeout=20, message="the service's A record")
    assert query("127.0.0.1", port, name) == (0, False, [(name, 1, ip)])
    assert query("127.0.0.1", port, name, tcp=True) == (0, False, [(name, 1, ip)])
    srv = query("127.0.0.1", port, "_80-8080._tcp." + name, "SRV")
    assert srv == (0, False, [("_80-8080._tcp." + name, 33, (0, 100, 80, name))])
    reverse = ".".join(reversed(ip.split("."))) + ".in-addr.arpa"
    assert query("127.0.0.1", port, reverse, "PTR") == (0, False, [(reverse, 12, name)])
    assert query("127.0.0.1", port, "nothing.%s.svc.cluster.local" % namespace)[:2] == (3, False)
    assert query("127.0.0.1", port, name, "AAAA") == (0, False, [])
    kubectl("create", "service", "externalname", "search", "--external-name=www.example.com", "-n", namespace)
    wait_for(lambda: query("127.0.0.1", port, "search.%s.svc.cluster.local" % namespace)[2] != [], timeout=20, message="the CNAME")
    assert query("127.0.0.1", port, "search.%s.svc.cluster.local" % namespace)[2] == [
        ("search.%s.svc.cluster.local" % namespace, 5, "www.example.com")]


@needs_cni
def test_a_pod_resolves_a_service_and_a_headless_pod(real_cluster, registry, ns):  # noqa: F811
    address, port = wait_for_dns(real_cluster)
    server = address if port == 53 else "%s:%d" % (address, port)
    real_cluster.kubectl("create", "service", "clusterip", "web", "--tcp=80:80", "-n", ns)
    headless = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db"},
                "spec": {"clusterIP": "None", "selector": {"app": "db"}, "ports": [{"name": "pg", "port": 5432}]}}
    create(real_cluster, ns, headless)
    db = busybox_pod(registry, "db-0", "sleep 3600")
    db["metadata"]["labels"] = {"app": "db"}
    db["spec"].update({"hostname": "db-0", "subdomain": "db"})
    create(real_cluster, ns, db)
    create(real_cluster, ns, busybox_pod(registry, "client", "sleep 3600"))
    for pod in ("db-0", "client"):
        wait_for(lambda: pod_json(real_cluster, ns, pod, "{.status.phase}") == "Running", timeout=60, message="%s to run" % pod)
    resolv = real_cluster.kubectl("exec", "-n", ns, "client", "--", "cat", "/etc/resolv.conf").stdout
    assert "nameserver 10.96.0.10\n" in resolv
    assert "search %s.svc.cluster.local svc.cluster.local cluster.local" % ns in resolv
    assert "options ndots:5" in resolv
    assert real_cluster.kubectl("exec", "-n", ns, "db-0", "--", "cat", "/proc/sys/kernel/hostname").stdout.strip() == "db-0"
    web_ip = real_cluster.kubectl("get", "service", "web", "-n", ns, "-o", "jsonpath={.spec.clusterIP}").stdout
    db_ip = pod_json(real_cluster, ns, "db-0", "{.status.podIP}")

    def lookup(name):
        result = real_cluster.kubectl("exec", "-n", ns, "client", "--", "busybox", "nslookup", name, server, check=False)
        return result.stdout
    assert web_ip in lookup("web.%s.svc.cluster.local" % ns)
    wait_for(lambda: db_ip in lookup("db-0.db.%s.svc.cluster.local" % ns), timeout=30, interval=0.5,
             message="the headless pod's name to resolve")
    assert db_ip in lookup("db.%s.svc.cluster.local" % ns)
