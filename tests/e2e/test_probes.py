"""End-to-end: probes and the pod network on the process runtime (runc): a liveness probe
restarts a container whose health check starts failing, a readiness probe toggles Ready, a grpc
probe follows a gRPC health service (grpcio's, on the host), an
httpGet probe reaches the pod's IP on the CNI bridge, and two pods reach each other and the host
reaches them. Uses test_runtime's registry and cluster (same requirements, same skips).
"""
import json
import os
import urllib.request

import pytest

from conftest import wait_for
from test_runtime import missing, ns, pod_json, real_cluster, registry  # noqa: F401 (fixtures)

no_cni = [plugin for plugin in ("bridge", "static") if not os.access("/usr/lib/cni/" + plugin, os.X_OK)]
needs_cni = pytest.mark.skipif(bool(no_cni), reason="the pod network needs containernetworking-plugins")


def create(cluster, namespace, pod):
    cluster.kubectl("apply", "-n", namespace, "-f", "-", input=json.dumps(pod))


def busybox_pod(registry, name, script, **container):
    spec = {"name": "main", "image": registry, "command": ["sh", "-c", script]}
    spec.update(container)
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [spec], "terminationGracePeriodSeconds": 1}}


def read_to_end(sock):
    """Everything `sock` receives until the other side closes; then closes it."""
    received = b""
    while True:
        chunk = sock.recv(4096)
        if not chunk:
            break
        received += chunk
    sock.close()
    return received


def ready(cluster, namespace, name):
    return pod_json(cluster, namespace, name, '{.status.conditions[?(@.type=="Ready")].status}')


def test_liveness_probe_restarts_a_container_that_stops_being_healthy(real_cluster, registry, ns):  # noqa: F811
    probe = {"exec": {"command": ["cat", "/healthy"]}, "periodSeconds": 1, "failureThreshold": 2}
    create(real_cluster, ns, busybox_pod(registry, "live", "touch /healthy; sleep 2; rm /healthy; sleep 3600", livenessProbe=probe))
    wait_for(lambda: pod_json(real_cluster, ns, "live", "{.status.containerStatuses[0].restartCount}") not in ("", "0"),
             timeout=60, interval=0.5, message="a restart after the liveness probe failed")
    def reasons():
        events = real_cluster.kubectl("get", "events", "-n", ns, "-o", "json").stdout
        return {(event["reason"], event["message"].split(":")[0]) for event in json.loads(events)["items"]}
    # Events are written after the fact, as upstream's recorder writes them.
    wait_for(lambda: {("Unhealthy", "Liveness probe failed"), ("Killing", "Container main failed liveness probe, will be restarted")}
             <= reasons(), message="the Unhealthy and Killing events")


def test_readiness_probe_toggles_ready(real_cluster, registry, ns):  # noqa: F811
    probe = {"exec": {"command": ["cat", "/ready"]}, "periodSeconds": 1, "failureThreshold": 1}
    create(real_cluster, ns, busybox_pod(registry, "gate", "sleep 3600", readinessProbe=probe))
    wait_for(lambda: pod_json(real_cluster, ns, "gate", "{.status.phase}") == "Running", timeout=60, message="the pod to run")
    assert ready(real_cluster, ns, "gate") == "False"
    real_cluster.kubectl("exec", "-n", ns, "gate", "--", "touch", "/ready")
    wait_for(lambda: ready(real_cluster, ns, "gate") == "True", timeout=30, interval=0.2, message="Ready=True")
    real_cluster.kubectl("exec", "-n", ns, "gate", "--", "rm", "/ready")
    wait_for(lambda: ready(real_cluster, ns, "gate") == "False", timeout=30, interval=0.2, message="Ready=False")
    assert pod_json(real_cluster, ns, "gate", "{.status.containerStatuses[0].restartCount}") == "0"


def test_grpc_probe_follows_the_health_service(real_cluster, registry, ns):  # noqa: F811
    from concurrent import futures

    import grpc
    from grpc_health.v1 import health, health_pb2, health_pb2_grpc
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    service = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(service, server)
    port = server.add_insecure_port("0.0.0.0:0")
    server.start()
    try:
        service.set("db", health_pb2.HealthCheckResponse.NOT_SERVING)
        probe = {"grpc": {"port": port, "service": "db"}, "periodSeconds": 1, "failureThreshold": 1}
        pod = busybox_pod(registry, "grpc-ready", "sleep 3600", readinessProbe=probe)
        pod["spec"]["hostNetwork"] = True  # the pod's IP is the host's, where the health service listens
        create(real_cluster, ns, pod)
        wait_for(lambda: pod_json(real_cluster, ns, "grpc-ready", "{.status.phase}") == "Running", timeout=60, message="the pod to run")
        wait_for(lambda: 'Readiness probe failed: service unhealthy (responded with "NOT_SERVING")' in
                 [event["message"] for event in json.loads(real_cluster.kubectl("get", "events", "-n", ns, "-o", "json").stdout)["items"]],
                 timeout=30, message="a failed readiness probe")
        assert ready(real_cluster, ns, "grpc-ready") == "False"
        service.set("db", health_pb2.HealthCheckResponse.SERVING)
        wait_for(lambda: ready(real_cluster, ns, "grpc-ready") == "True", timeout=30, interval=0.2, message="Ready=True")
        service.set("db", health_pb2.HealthCheckResponse.NOT_SERVING)
        wait_for(lambda: ready(real_cluster, ns, "grpc-ready") == "False", timeout=30, interval=0.2, message="Ready=False")
    finally:
        server.stop(0)


@needs_cni
def test_pods_reach_each_other_and_the_host_reaches_them(real_cluster, registry, ns):  # noqa: F811
    serve = "mkdir -p /www && echo hello from $HOSTNAME > /www/index.html && httpd -f -p 8080 -h /www"
    probe = {"httpGet": {"path": "/", "port": 8080}, "periodSeconds": 1}
    create(real_cluster, ns, busybox_pod(registry, "server", serve, readinessProbe=probe))
    create(real_cluster, ns, busybox_pod(registry, "client", "sleep 3600"))
    wait_for(lambda: ready(real_cluster, ns, "server") == "True", timeout=60, interval=0.2, message="the httpGet probe to pass")
    wait_for(lambda: pod_json(real_cluster, ns, "client", "{.status.phase}") == "Running", timeout=60, message="the client to run")
    server_ip = pod_json(real_cluster, ns, "server", "{.status.podIP}")
    assert server_ip != pod_json(real_cluster, ns, "client", "{.status.podIP}")
    fetched = real_cluster.kubectl("exec", "-n", ns, "client", "--", "wget", "-qO-", "http://%s:8080/" % server_ip).stdout
    assert fetched == "hello from server\n"
    with urllib.request.urlopen("http://%s:8080/" % server_ip, timeout=5) as response:
        assert response.read() == b"hello from server\n"


@needs_cni
def test_python_client_port_forwards_to_a_pod(real_cluster, registry, ns):  # noqa: F811
    from kubernetes import client
    from kubernetes.stream import portforward
    serve = "mkdir -p /www && echo forwarded > /www/index.html && httpd -f -p 8080 -h /www"
    create(real_cluster, ns, busybox_pod(registry, "web", serve, readinessProbe={"tcpSocket": {"port": 8080}, "periodSeconds": 1}))
    wait_for(lambda: ready(real_cluster, ns, "web") == "True", timeout=60, interval=0.2, message="the tcpSocket probe to pass")
    api = client.CoreV1Api(real_cluster.api_client())
    forward = portforward(api.connect_get_namespaced_pod_portforward, "web", ns, ports="8080")
    sock = forward.socket(8080)
    sock.settimeout(10)
    sock.sendall(b"GET / HTTP/1.0\r\n\r\n")
    received = read_to_end(sock)
    assert received.startswith(b"HTTP/1.") and received.endswith(b"forwarded\n")
    assert forward.error(8080) is None
