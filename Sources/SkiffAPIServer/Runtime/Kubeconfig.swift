/// The admin kubeconfig `skiff up` writes: an ordinary kubeconfig pointing at the local server.
public enum Kubeconfig {
    /// A kubeconfig for `server` (e.g. `http://127.0.0.1:6443`) with one context named `skiff`.
    public static func admin(server: String) -> String {
        """
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:
            server: \(server)
          name: skiff
        contexts:
        - context:
            cluster: skiff
            namespace: default
            user: admin
          name: skiff
        current-context: skiff
        preferences: {}
        users:
        - name: admin
          user: {}

        """
    }
}
