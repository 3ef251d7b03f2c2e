import SkiffAPI
import SkiffModels

/// What to write to bring the EndpointSlices of one service and one set of ports in line with
/// the desired endpoints, changing as few slices as possible (a subset of upstream's
/// endpointslice reconciler): existing slices keep the endpoints still desired (updated in
/// place when an endpoint changed, deleted when none is left); new endpoints fill the slices
/// being updated anyway, then one unchanged slice that can take them all, then new slices of
/// at most `maxEndpointsPerSlice`.
struct EndpointSlicePlan: Sendable {
    /// A slice to write again with new endpoints.
    struct Update: Sendable {
        var slice: DiscoveryV1.EndpointSlice
        var endpoints: [DiscoveryV1.Endpoint]
    }

    /// The endpoints of each slice to create.
    var creates: [[DiscoveryV1.Endpoint]] = []
    var updates: [Update] = []
    var deletes: [DiscoveryV1.EndpointSlice] = []

    /// An endpoint's identity across syncs: its addresses.
    static func identity(of endpoint: DiscoveryV1.Endpoint) -> [String] {
        endpoint.addresses
    }

    /// Plans one port set's slices. `desired` is in the order new slices should list endpoints;
    /// `relabel` says whether a slice must be written even if its endpoints are unchanged.
    static func make(
        existing: [DiscoveryV1.EndpointSlice], desired: [DiscoveryV1.Endpoint], maxEndpointsPerSlice: Int,
        relabel: (DiscoveryV1.EndpointSlice) -> Bool = { _ in false }
    ) -> EndpointSlicePlan {
        var plan = EndpointSlicePlan()
        var remaining: [[String]: DiscoveryV1.Endpoint] = [:]
        for endpoint in desired { remaining[identity(of: endpoint)] = endpoint }
        var unchanged: [DiscoveryV1.EndpointSlice] = []
        for slice in existing {
            var changed = relabel(slice)
            var kept: [DiscoveryV1.Endpoint] = []
            for endpoint in slice.endpoints {
                guard let wanted = remaining.removeValue(forKey: identity(of: endpoint)) else {
                    changed = true
                    continue
                }
                if wanted != endpoint { changed = true }
                kept.append(wanted)
            }
            if kept.isEmpty {
                plan.deletes.append(slice)
            } else if changed {
                plan.updates.append(Update(slice: slice, endpoints: kept))
            } else {
                unchanged.append(slice)
            }
        }
        var left = desired.filter { remaining[identity(of: $0)] != nil }
        for index in plan.updates.indices where !left.isEmpty {
            let room = maxEndpointsPerSlice - plan.updates[index].endpoints.count
            guard room > 0 else { continue }
            plan.updates[index].endpoints += left.prefix(room)
            left.removeFirst(min(room, left.count))
        }
        if !left.isEmpty {
            // The fullest unchanged slice that can take every endpoint left.
            let candidates = unchanged.filter { maxEndpointsPerSlice - $0.endpoints.count >= left.count }
            if let slice = candidates.max(by: { $0.endpoints.count < $1.endpoints.count }) {
                plan.updates.append(Update(slice: slice, endpoints: slice.endpoints + left))
                left = []
            }
        }
        while !left.isEmpty {
            plan.creates.append(Array(left.prefix(maxEndpointsPerSlice)))
            left.removeFirst(min(maxEndpointsPerSlice, left.count))
        }
        return plan
    }
}
