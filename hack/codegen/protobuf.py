#!/usr/bin/env python3
"""Generates Sources/SkiffProtobuf/Generated/ProtobufSchema+Generated.swift from upstream's
generated.proto files (k8s.io/api and k8s.io/apimachinery, v1.32).

Usage: python3 hack/codegen/protobuf.py [PROTO_ROOT]   (default: ../shared/kubernetes/proto)

The output is a compact text table (one line per message and per field) in a Swift string
literal, parsed once at run time. Only API facts are carried over (message and field names,
numbers, types); the .proto comments are not.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "..", "shared", "kubernetes", "proto")
SWAGGER = os.path.join(REPO, "..", "shared", "kubernetes", "openapi", "swagger-v1.32.json")
OUT = os.path.join(REPO, "Sources", "SkiffProtobuf", "Generated", "ProtobufSchema+Generated.swift")

# The API group of each k8s.io/api directory (the group name is not in the .proto files).
GROUPS = {
    "core": "", "apps": "apps", "batch": "batch", "autoscaling": "autoscaling", "policy": "policy",
    "extensions": "extensions", "apiserverinternal": "internal.apiserver.k8s.io",
    "flowcontrol": "flowcontrol.apiserver.k8s.io", "rbac": "rbac.authorization.k8s.io",
}
SCALARS = {"string": "s", "bytes": "b", "bool": "B", "int32": "i", "int64": "l", "uint32": "u", "uint64": "U",
           "double": "d", "float": "f", "sint32": "i", "sint64": "l", "fixed32": "u", "fixed64": "U"}

FIELD = re.compile(r"^\s*(optional|repeated|required)\s+([\w.]+)\s+(\w+)\s*=\s*(\d+)")
MAP = re.compile(r"^\s*map<\s*(\w+)\s*,\s*([\w.]+)\s*>\s+(\w+)\s*=\s*(\d+)")


def group_version(package):
    parts = package.split(".")
    if parts[:3] == ["k8s", "io", "api"] and len(parts) == 5:
        name, version = parts[3], parts[4]
        return GROUPS.get(name, name + ".k8s.io"), version
    return None


def resolve(type_name, package):
    """A field's kind: a scalar code, or `m:` and the fully qualified message name."""
    if type_name in SCALARS:
        return SCALARS[type_name]
    if type_name.startswith("."):
        return "m:" + type_name[1:]
    return "m:" + package + "." + type_name


def main():
    files = []
    for directory, _, names in os.walk(ROOT):
        for name in names:
            if name.endswith(".proto"):
                files.append(os.path.join(directory, name))
    messages = []  # (package, name, [(number, json, kind, repeated)])
    for path in sorted(files):
        text = open(path).read()
        text = re.sub(r"//[^\n]*", "", text)
        package = re.search(r"^package\s+([\w.]+);", text, re.M).group(1)
        depth = 0
        current = None
        for line in text.splitlines():
            stripped = line.strip()
            match = re.match(r"^message\s+(\w+)\s*\{", stripped)
            if match and depth == 0:
                current = (package, match.group(1), [])
                messages.append(current)
            if current is not None and depth == 1:
                field = FIELD.match(line)
                if field:
                    label, type_name, name, number = field.groups()
                    kind = resolve(type_name, package)
                    current[2].append((int(number), name, kind, label == "repeated"))
                mapped = MAP.match(line)
                if mapped:
                    key, value, name, number = mapped.groups()
                    current[2].append((int(number), name, "map:" + SCALARS[key] + ":" + resolve(value, package), False))
            depth += line.count("{") - line.count("}")
            if depth == 0:
                current = None
    # Go embeds some structs (`json:",inline"`): protobuf names the field, JSON does not. The
    # OpenAPI document tells them apart: an inlined field is not among the definition's properties.
    definitions = json.load(open(SWAGGER))["definitions"]
    # A few proto names differ from the JSON names in case only (uID → uid): take the JSON name.
    inline = set()
    for package, name, fields in messages:
        definition = definitions.get("io." + package.replace("k8s.io.", "k8s.", 1) + "." + name)
        if definition is None or "properties" not in definition:
            continue
        properties = definition["properties"]
        by_lower = {key.lower(): key for key in properties}
        for index, (number, field_name, kind, repeated) in enumerate(fields):
            if field_name in properties:
                continue
            if field_name.lower() in by_lower:
                fields[index] = (number, by_lower[field_name.lower()], kind, repeated)
            elif kind.startswith("m:"):
                inline.add((package, name, number))
            else:
                print("warning: %s.%s.%s is not in the OpenAPI definition" % (package, name, field_name))
    lines = []
    for package, name, fields in messages:
        gv = group_version(package)
        header = "M %s.%s" % (package, name)
        if gv is not None:
            header += " %s/%s" % gv if gv[0] else " /%s" % gv[1]
        lines.append(header)
        for number, field_name, kind, repeated in fields:
            flag = " repeated" if repeated else (" inline" if (package, name, number) in inline else "")
            lines.append("F %d %s %s%s" % (number, field_name, kind, flag))
    body = "\n".join(lines)
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as out:
        out.write("// Generated by hack/codegen/protobuf.py from upstream's generated.proto files (v1.32).\n")
        out.write("// Do not edit: regenerate with `python3 hack/codegen/protobuf.py`.\n")
        out.write("//\n// Format: `M <message> [<group>/<version>]` starts a message; `F <number> <json name> <kind> [flag]`\n")
        out.write("// is a field (kinds: s string, b bytes, B bool, i int32, l int64, u uint32, U uint64, d double,\n")
        out.write("// f float, m:<message>, map:<key kind>:<value kind>; then `repeated`, or `inline` for a struct whose\n// fields JSON inlines).\n\n")
        out.write("extension ProtobufSchema {\n    static let generatedTable = #\"\"\"\n")
        out.write(body)
        out.write("\n\"\"\"#\n}\n")
    print("wrote %s: %d messages, %d bytes" % (OUT, len(messages), len(body)))


if __name__ == "__main__":
    main()
