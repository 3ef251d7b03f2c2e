"""The audit webhook: a `skiff up` with `--audit-webhook-config-file` POSTs its events as
`audit.k8s.io/v1` `EventList`s to a Python HTTP server the kubeconfig names, in batches."""
import http.server
import json
import threading

import pytest

from conftest import free_port, wait_for
from test_audit_encryption import own_cluster, stop

POLICY = """\
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
  - level: Request
    resources: [{group: "", resources: ["configmaps"]}]
  - level: None
"""


class Receiver(http.server.BaseHTTPRequestHandler):
    lists = []
    paths = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.paths.append(self.path)
        Receiver.lists.append(json.loads(body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def webhook():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def test_events_are_posted_as_event_lists(webhook):
    kubeconfig = """\
apiVersion: v1
kind: Config
clusters: [{name: audit, cluster: {server: "http://127.0.0.1:%d/audit"}}]
users: [{name: audit, user: {}}]
contexts: [{name: audit, context: {cluster: audit, user: audit}}]
current-context: audit
""" % webhook.server_address[1]
    running = own_cluster("skiff-e2e-audit-webhook-", {"policy.yaml": POLICY, "webhook.kubeconfig": kubeconfig},
                          ["--audit-policy-file", "{policy.yaml}", "--audit-webhook-config-file", "{webhook.kubeconfig}",
                           "--audit-webhook-batch-max-wait", "1s"])
    running.start()
    try:
        running.kubectl("create", "configmap", "audited", "--from-literal=mode=fast")

        def created():
            return [event for listed in Receiver.lists for event in listed["items"]
                    if event["verb"] == "create" and event.get("requestObject", {}).get("metadata", {}).get("name") == "audited"]
        wait_for(created, timeout=30, message="the create's event at the webhook")
        assert set(Receiver.paths) == {"/audit"}
        assert all(listed["kind"] == "EventList" and listed["apiVersion"] == "audit.k8s.io/v1" for listed in Receiver.lists)
        event = created()[0]
        assert event["stage"] == "ResponseComplete" and event["level"] == "Request"
        assert event["requestObject"]["data"] == {"mode": "fast"}
        assert event["responseStatus"]["code"] == 201
    finally:
        stop(running)
