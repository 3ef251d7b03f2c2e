#!/usr/bin/env bash
# Regenerates Sources/SkiffEtcd/Generated/ from the trimmed etcd v3 .proto files in
# hack/codegen/etcd-proto/ (the KV and Watch services; field numbers as etcd's api/etcdserverpb and
# api/mvccpb). Needs protoc (Debian's protobuf-compiler) and the two Swift plugins (see protoc-plugins.sh):
#
#   hack/codegen/etcd-proto.sh            builds the plugins in a scratch package, then generates
#   PLUGINS=DIR hack/codegen/etcd-proto.sh  uses protoc-gen-swift and protoc-gen-grpc-swift-2 from DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
. hack/codegen/protoc-plugins.sh
generate_swift "$PWD/hack/codegen/etcd-proto" "$PWD/Sources/SkiffEtcd/Generated" mvccpb/kv.proto etcdserverpb/rpc.proto
