#!/usr/bin/env python3
"""Generates the typed Swift models of the built-in kinds, Sources/SkiffModels/Generated/<GroupVersion>+Generated.swift,
and the typed accessors of SkiffClient's KubernetesClient (`client.apps.v1.deployments("ns")`),
Sources/SkiffClient/Typed/Generated/KubernetesClient+Generated.swift, from upstream's OpenAPI v2 document (v1.32).

Roots: the kinds registered in Sources/SkiffRegistry/Kinds/BuiltinResources.swift, their lists, and the API objects
clients exchange besides them (Scale, Status, DeleteOptions, WatchEvent, Eviction, Binding, Condition). Every definition
reachable from them through $refs is generated, except the meta/v1 and utility types that are hand-written (MAPPED).

Usage: python3 hack/codegen/models.py [SWAGGER]   (default: ../shared/kubernetes/openapi/swagger-v1.32.json)
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SOURCE = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "..", "shared", "kubernetes", "openapi", "swagger-v1.32.json")
OUT = os.path.join(REPO, "Sources", "SkiffModels", "Generated")
BUILTIN_RESOURCES = os.path.join(REPO, "Sources", "SkiffRegistry", "Kinds", "BuiltinResources.swift")

META = "io.k8s.apimachinery.pkg.apis.meta.v1."
APIEXTENSIONS = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1."

# Definitions whose Swift type is hand-written (SkiffAPI, or Sources/SkiffModels/*.swift); never generated.
MAPPED = {
    META + "ObjectMeta": "ObjectMeta",
    META + "OwnerReference": "OwnerReference",
    META + "ManagedFieldsEntry": "ManagedFieldsEntry",
    META + "ListMeta": "ListMeta",
    META + "Time": "Timestamp",
    META + "MicroTime": "MicroTime",
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": "IntOrString",
    "io.k8s.apimachinery.pkg.api.resource.Quantity": "Quantity",
    "io.k8s.apimachinery.pkg.runtime.RawExtension": "JSONValue",
    APIEXTENSIONS + "JSON": "JSONValue",
    APIEXTENSIONS + "JSONSchemaPropsOrBool": "ApiextensionsV1.JSONSchemaPropsOrBool",
    APIEXTENSIONS + "JSONSchemaPropsOrArray": "ApiextensionsV1.JSONSchemaPropsOrArray",
    APIEXTENSIONS + "JSONSchemaPropsOrStringArray": "ApiextensionsV1.JSONSchemaPropsOrStringArray",
}

# Required fields of these types are still optional: Go encodes a zero time as `null` (a served kind's `metadata` is
# optional too, as `KubernetesObject` declares it).
NULLABLE_WHEN_ZERO = {META + "Time", META + "MicroTime"}

# Fields v1.32's OpenAPI lists as required that the API server never required (Go decodes them absent as zero):
# StatefulSet's serviceName is marked optional upstream from v1.33, and kr8s' tests create StatefulSets without one.
OPTIONAL_DESPITE_REQUIRED = {"io.k8s.api.apps.v1.StatefulSetSpec": {"serviceName"}}

# Objects clients send or receive besides the served kinds and their lists.
EXTRA_ROOTS = [
    "io.k8s.api.autoscaling.v1.Scale",
    "io.k8s.api.policy.v1.Eviction",
    "io.k8s.api.core.v1.Binding",
    META + "Status",
    META + "DeleteOptions",
    META + "WatchEvent",
    META + "Condition",
]

SWIFT_KEYWORDS = set("""
    associatedtype class deinit enum extension fileprivate func import init inout internal let open operator private
    precedencegroup protocol public rethrows static struct subscript typealias var break case catch continue default
    defer do else fallthrough for guard if in repeat return throw switch where while Any as await false is nil self
    Self super throws true try
""".split())

# Names generated types must not take: they would shadow the types the generated code refers to unqualified.
RESERVED_TYPE_NAMES = {"String", "Bool", "Int", "Int32", "Int64", "Double", "Optional", "Indirect"} | set(MAPPED.values())


def served_group_version_kinds():
    """(group, version, kind) of every kind BuiltinResources.swift registers."""
    text = open(BUILTIN_RESOURCES).read()
    found = re.findall(r'ResourceInfo\(\s*group: "([^"]*)", version: "([^"]*)", kind: "([^"]*)"', text)
    assert found, "no ResourceInfo(group:version:kind:) in " + BUILTIN_RESOURCES
    return found


def gvks(definition):
    return [(g["group"], g["version"], g["kind"]) for g in definition.get("x-kubernetes-group-version-kind", [])]


def namespace_of(name):
    """`io.k8s.api.core.v1.Pod` → `CoreV1`: the Go package alias (corev1), capitalized."""
    package, version = name.split(".")[-3:-1]
    return package[0].upper() + package[1:] + version[0].upper() + version[1:]


def swift_type_name(name):
    return MAPPED.get(name) or namespace_of(name) + "." + name.split(".")[-1]


def ref_name(schema):
    return schema["$ref"].split("/")[-1]


def resources_from_paths(paths):
    """GVK → (plural, namespaced) for every resource the document serves (subresources excluded)."""
    resources = {}
    for path, item in paths.items():
        match = re.match(r"^/api/(v1)/(.*)$", path) or re.match(r"^/apis/[^/]+/([^/]+)/(.*)$", path)
        if not match:
            continue
        segments = match.group(2).split("/")
        if segments[0] == "watch":
            segments = segments[1:]
        namespaced = len(segments) >= 3 and segments[0] == "namespaces" and segments[1] == "{namespace}"
        rest = segments[2:] if namespaced else segments
        if not (len(rest) == 1 or (len(rest) == 2 and rest[1] == "{name}")):
            continue
        group = "" if path.startswith("/api/") else path.split("/")[2]
        for operation in item.values():
            gvk = isinstance(operation, dict) and operation.get("x-kubernetes-group-version-kind")
            if not gvk or (gvk["group"], gvk["version"]) != (group, match.group(1)):
                continue
            key = (gvk["group"], gvk["version"], gvk["kind"])
            plural, was_namespaced = resources.get(key, (rest[0], False))
            assert plural == rest[0], "two plurals for %s: %s, %s" % (key, plural, rest[0])
            resources[key] = (plural, was_namespaced or namespaced)
    return resources


def reachable(definitions, roots):
    """Every generated definition reachable from the roots through $refs (hand-written ones are leaves)."""
    seen, pending = set(), list(roots)
    while pending:
        name = pending.pop()
        if name in seen or name in MAPPED:
            continue
        seen.add(name)
        pending.extend(refs_in(definitions[name]))
    return seen


def refs_in(node):
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            yield ref_name(node)
        for key, value in node.items():
            if key != "$ref":
                yield from refs_in(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs_in(value)


def is_free_form(schema):
    """An object whose members are not described (no properties, no additionalProperties): any JSON."""
    return "$ref" not in schema and schema.get("type") in (None, "object") and not schema.get("properties") \
        and "additionalProperties" not in schema and "items" not in schema


def swift_type(schema):
    if "$ref" in schema:
        return swift_type_name(ref_name(schema))
    kind, form = schema.get("type"), schema.get("format")
    if kind == "string":
        return "IntOrString" if form == "int-or-string" else "String"
    if kind == "integer":
        return "Int32" if form == "int32" else "Int64"
    if kind == "number":
        return "Double"
    if kind == "boolean":
        return "Bool"
    if kind == "array":
        return "[%s]" % swift_type(schema["items"])
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return "[String: %s]" % swift_type(schema["additionalProperties"])
    assert is_free_form(schema), "unmapped schema %r" % schema
    return "JSONValue"


def swift_identifier(key):
    """A wire name as a Swift property name: `$ref` → `ref`, `x-kubernetes-list-type` → `xKubernetesListType`."""
    words = [word for word in re.split(r"[^A-Za-z0-9]+", key) if word]
    return words[0] + "".join(word[0].upper() + word[1:] for word in words[1:])


def escaped(name):
    return "`%s`" % name if name in SWIFT_KEYWORDS else name


class Model:
    """One generated struct."""

    def __init__(self, name, definition, resources):
        self.name = name
        self.namespace = namespace_of(name)
        self.type_name = name.split(".")[-1]
        assert self.type_name not in RESERVED_TYPE_NAMES, "%s would shadow a referenced type" % name
        self.definition = definition
        required = set(definition.get("required", [])) - OPTIONAL_DESPITE_REQUIRED.get(name, set())
        kinds = gvks(definition)
        self.gvk = kinds[0] if len(kinds) == 1 else None
        self.resource = resources.get(self.gvk)
        self.list_item = None
        self.properties = []
        for key, schema in definition.get("properties", {}).items():
            optional = key not in required or (self.resource and key == "metadata") or \
                ("$ref" in schema and ref_name(schema) in NULLABLE_WHEN_ZERO)
            self.properties.append({"key": key, "name": swift_identifier(key), "type": swift_type(schema), "optional": optional,
                                    "ref": ref_name(schema) if "$ref" in schema else None, "schema": schema})

    def default_for(self, prop):
        if self.gvk and prop["key"] == "apiVersion":
            group, version, _ = self.gvk
            return '"%s"' % (group + "/" + version if group else version)
        if self.gvk and prop["key"] == "kind":
            return '"%s"' % self.gvk[2]
        return "nil" if prop["optional"] else None

    def render(self):
        conformances = "Codable, Sendable, Equatable"
        lines = ["    /// `%s`." % self.name]
        if self.resource:
            conformances = "KubernetesObject"
        elif self.list_item:
            conformances = "KubernetesObjectList"
        conformances += ", JSONTreeDecodable, JSONTreeEncodable"
        lines.append("    public struct %s: %s {" % (self.type_name, conformances))
        if self.resource:
            group, version, kind = self.gvk
            plural, namespaced = self.resource
            lines.append('        public static let groupVersionKind = GroupVersionKind(group: "%s", version: "%s", kind: "%s")' % (group, version, kind))
            lines.append('        public static let resource = "%s"' % plural)
            lines.append("        public static let isNamespaced = %s" % ("true" if namespaced else "false"))
            lines.append("")
        for prop in self.properties:
            lines.append("        public var %s: %s%s" % (escaped(prop["name"]), prop["type"], "?" if prop["optional"] else ""))
        if any(prop["name"] != prop["key"] for prop in self.properties):
            lines.append("")
            lines.append("        enum CodingKeys: String, CodingKey {")
            for prop in self.properties:
                mapping = ' = "%s"' % prop["key"] if prop["name"] != prop["key"] else ""
                lines.append("            case %s%s" % (escaped(prop["name"]), mapping))
            lines.append("        }")
        if self.properties:
            lines.append("")
        lines.extend(self.render_init())
        lines.append("")
        lines.extend(self.render_tree_init())
        lines.append("")
        lines.extend(self.render_tree())
        lines.append("    }")
        return lines

    def render_tree(self):
        """`jsonTree`: the members the synthesized `encode(to:)` writes (nil optionals left out)."""
        lines = ["        public var jsonTree: JSONValue {"]
        if not self.properties:
            lines.append("            .emptyObject")
        else:
            lines.append("            var encoded: [String: JSONValue] = [:]")
            for prop in self.properties:
                lines.append('            encoded["%s"] = self.%s.jsonTree' % (prop["key"], escaped(prop["name"])))
            lines.append("            return .object(encoded)")
        lines.append("        }")
        return lines

    def render_tree_init(self):
        """`init(jsonTree:)`: each member read as the synthesized `init(from:)` reads it."""
        lines = ["        public init(jsonTree tree: JSONValue) throws {"]
        if not self.properties:
            lines.append("            _ = try JSONTree.members(tree)")
        else:
            lines.append("            let members = try JSONTree.members(tree)")
            for prop in self.properties:
                helper = "optional" if prop["optional"] else "required"
                lines.append('            self.%s = try JSONTree.%s(members["%s"], "%s")' % (escaped(prop["name"]), helper, prop["key"], prop["key"]))
        lines.append("        }")
        return lines

    def render_init(self):
        if not self.properties:
            return ["        public init() {}"]
        lines = ["        public init("]
        for index, prop in enumerate(self.properties):
            default = self.default_for(prop)
            suffix = "," if index < len(self.properties) - 1 else ""
            lines.append("            %s: %s%s%s%s" % (prop["name"], prop["type"], "?" if prop["optional"] else "",
                                                    " = " + default if default else "", suffix))
        lines.append("        ) {")
        for prop in self.properties:
            lines.append("            self.%s = %s" % (prop["name"], escaped(prop["name"])))
        lines.append("        }")
        return lines


def box_recursive_properties(models):
    """Wraps in `Indirect` the properties through which a struct would contain itself (`JSONSchemaProps.not`).

    Arrays, dictionaries and the hand-written enums already store their elements out of line, so only direct
    (optional) struct references form cycles."""
    edges = {name: {prop["ref"] for prop in model.properties if prop["ref"] in models} for name, model in models.items()}

    def reaches(start, goal):
        seen, pending = set(), [start]
        while pending:
            name = pending.pop()
            if name == goal:
                return True
            if name not in seen:
                seen.add(name)
                pending.extend(edges[name])
        return False

    for name, model in models.items():
        for prop in model.properties:
            if prop["ref"] in models and reaches(prop["ref"], name):
                prop["type"] = "Indirect<%s>" % prop["type"]


def mark_lists(models):
    """`XList` whose `items` are a served kind conforms to `KubernetesObjectList`."""
    for model in models.values():
        items = next((prop for prop in model.properties if prop["key"] == "items"), None)
        element = items and items["schema"].get("items", {})
        if model.gvk and element and "$ref" in element and models.get(ref_name(element)) and models[ref_name(element)].resource:
            model.list_item = ref_name(element)


def write_namespace(namespace, models, group_version):
    path = os.path.join(OUT, namespace + "+Generated.swift")
    lines = [
        "// Generated by hack/codegen/models.py from upstream's OpenAPI v2 document (v1.32).",
        "// Do not edit: regenerate with `python3 hack/codegen/models.py`.",
        "",
        "import SkiffAPI",
        "",
        "/// Typed models of `%s`." % group_version,
        "public enum %s {}" % namespace,
        "",
        "extension %s {" % namespace,
    ]
    for index, model in enumerate(sorted(models, key=lambda model: model.type_name)):
        if index:
            lines.append("")
        lines.extend(model.render())
    lines.append("}")
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")
    return path


def write_index(models):
    """`BuiltinModels.kinds` and `.lists`: every generated kind served as a resource, and their lists."""
    path = os.path.join(OUT, "BuiltinModels+Generated.swift")
    kinds = sorted(swift_type_name(model.name) for model in models if model.resource)
    lists = sorted(swift_type_name(model.name) for model in models if model.list_item)
    lines = [
        "// Generated by hack/codegen/models.py from upstream's OpenAPI v2 document (v1.32).",
        "// Do not edit: regenerate with `python3 hack/codegen/models.py`.",
        "",
        "import SkiffAPI",
        "",
        "/// The generated models as a whole.",
        "public enum BuiltinModels {",
        "    /// Every kind served as a resource (`KubernetesObject`), for schemes that map kinds to types.",
        "    public static let kinds: [any KubernetesObject.Type] = [",
    ]
    lines.extend("        %s.self," % kind for kind in kinds)
    lines.extend([
        "    ]",
        "",
        "    /// The list type of every served kind (`KubernetesObjectList`).",
        "    public static let lists: [any KubernetesObjectList.Type] = [",
    ])
    lines.extend("        %s.self," % name for name in lists)
    lines.extend(["    ]", "}"])
    with open(path, "w") as out:
        out.write("\n".join(lines) + "\n")
    return path


CLIENTS_OUT = os.path.join(REPO, "Sources", "SkiffClient", "Typed", "Generated", "KubernetesClient+Generated.swift")


# KubernetesClient's own members, which a group accessor must not shadow.
CLIENT_MEMBERS = {"rest", "dynamic", "discovery", "resource", "shutdown"}


def group_accessor(group):
    """`` → `core`, `apps` → `apps`, `coordination.k8s.io` → `coordination`; `discovery.k8s.io` →
    `discoveryGroup` (`discovery` is the discovery client)."""
    name = group.split(".")[0] if group else "core"
    return name + "Group" if name in CLIENT_MEMBERS else name


def client_type_prefix(group):
    """`apps` → `Apps`: the prefix of a group's client types."""
    name = group.split(".")[0] if group else "core"
    return name[0].upper() + name[1:]


def accessor_name(kind, plural):
    """The typed accessor of a resource, as client-go names it in lower camel case: `pods`, `endpoints`,
    `persistentVolumeClaims`, `ingresses`, `networkPolicies`."""
    lowered = kind[0].lower() + kind[1:]
    if plural == kind.lower():
        return lowered
    if kind.endswith("y") and plural == kind.lower()[:-1] + "ies":
        return lowered[:-1] + "ies"
    for suffix in ("s", "es"):
        if plural == kind.lower() + suffix:
            return lowered + suffix
    raise AssertionError("no accessor rule for %s (%s)" % (kind, plural))


def write_clients(models, served):
    """`client.apps.v1.deployments("ns")`: typed accessors of `KubernetesClient` for every served kind."""
    by_group = {}
    for model in models:
        if model.resource and model.gvk in served:
            by_group.setdefault(model.gvk[0], {}).setdefault(model.gvk[1], []).append(model)
    lines = [
        "// Generated by hack/codegen/models.py from upstream's OpenAPI v2 document (v1.32).",
        "// Do not edit: regenerate with `python3 hack/codegen/models.py`.",
        "",
        "import SkiffModels",
        "",
        "extension KubernetesClient {",
    ]
    for group in sorted(by_group, key=group_accessor):
        name = group_accessor(group)
        type_name = client_type_prefix(group)
        lines.append("    /// The `%s` API group's versions." % (group or "core"))
        lines.append("    public var %s: %sGroupClient { %sGroupClient(client: self) }" % (name, type_name, type_name))
    lines.append("}")
    for group in sorted(by_group, key=group_accessor):
        name = client_type_prefix(group)
        lines += ["", "/// The versions of the `%s` API group." % (group or "core"), "public struct %sGroupClient: Sendable {" % name,
                  "    let client: KubernetesClient"]
        for version in sorted(by_group[group]):
            lines.append("    public var %s: %s%sClient { %s%sClient(client: client) }" % (version, name, version.upper(), name, version.upper()))
        lines.append("}")
        for version, members in sorted(by_group[group].items()):
            lines += ["", "/// The typed resources of `%s`." % ("/".join(filter(None, [group, version]))),
                      "public struct %s%sClient: Sendable {" % (name, version.upper()), "    let client: KubernetesClient"]
            for model in sorted(members, key=lambda m: m.resource[0]):
                plural, namespaced = model.resource
                swift = swift_type_name(model.name)
                accessor = accessor_name(model.gvk[2], plural)
                lines.append("")
                if namespaced:
                    lines.append("    /// `%s` in a namespace; nil: across all namespaces." % plural)
                    lines.append("    public func %s(_ namespace: String? = nil) -> ResourceClient<%s> {" % (accessor, swift))
                    lines.append("        client.resource(%s.self, namespace: namespace)" % swift)
                else:
                    lines.append("    /// `%s` (cluster-scoped)." % plural)
                    lines.append("    public func %s() -> ResourceClient<%s> {" % (accessor, swift))
                    lines.append("        client.resource(%s.self)" % swift)
                lines.append("    }")
            lines.append("}")
    os.makedirs(os.path.dirname(CLIENTS_OUT), exist_ok=True)
    with open(CLIENTS_OUT, "w") as out:
        out.write("\n".join(lines) + "\n")
    return CLIENTS_OUT


def group_version_label(name):
    """`io.k8s.api.apps.v1.Deployment` → `apps/v1`; meta/v1 and apiextensions/v1 by their package."""
    package, version = name.split(".")[-3:-1]
    return package + "/" + version


def main():
    document = json.load(open(SOURCE))
    definitions = document["definitions"]
    by_gvk = {}
    for name, definition in definitions.items():
        for gvk in gvks(definition):
            by_gvk.setdefault(gvk, []).append(name)
    served = set(served_group_version_kinds())
    roots = []
    for group, version, kind in sorted(served):
        for gvk in ((group, version, kind), (group, version, kind + "List")):
            names = by_gvk.get(gvk)
            if not names and gvk[2] == kind + "List":
                continue  # a kind only created (Binding, the reviews): no list
            assert names and len(names) == 1, "no single definition for %s" % (gvk,)
            roots.append(names[0])
    resources = resources_from_paths(document["paths"])
    missing = [gvk for gvk in served if gvk not in resources]
    assert not missing, "served kinds without a path in the document: %s" % missing
    names = reachable(definitions, roots + EXTRA_ROOTS)
    models = {name: Model(name, definitions[name], resources) for name in names}
    box_recursive_properties(models)
    mark_lists(models)
    by_namespace = {}
    for model in models.values():
        by_namespace.setdefault(model.namespace, []).append(model)
    os.makedirs(OUT, exist_ok=True)
    for stale in os.listdir(OUT):
        if stale.endswith("+Generated.swift"):
            os.remove(os.path.join(OUT, stale))
    for namespace, members in sorted(by_namespace.items()):
        path = write_namespace(namespace, members, group_version_label(members[0].name))
        print("wrote %s: %d types" % (os.path.relpath(path, REPO), len(members)))
    path = write_index(models.values())
    print("wrote %s" % os.path.relpath(path, REPO))
    path = write_clients(models.values(), served)
    print("wrote %s" % os.path.relpath(path, REPO))


if __name__ == "__main__":
    main()
