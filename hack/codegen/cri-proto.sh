#!/usr/bin/env bash
# Regenerates Sources/SkiffCRI/Generated/ (the CRI v1 client: RuntimeService and ImageService) from
# hack/codegen/cri-proto/runtime/v1/api.proto: k8s.io/cri-api v0.32.0's pkg/apis/runtime/v1/api.proto
# (Kubernetes v1.32) without its gogoproto import and options, which only steer Go code generation.
# Needs protoc (Debian's protobuf-compiler) and the two Swift plugins (see protoc-plugins.sh):
#
#   hack/codegen/cri-proto.sh            builds the plugins in a scratch package, then generates
#   PLUGINS=DIR hack/codegen/cri-proto.sh  uses protoc-gen-swift and protoc-gen-grpc-swift-2 from DIR
set -euo pipefail
cd "$(dirname "$0")/../.."
. hack/codegen/protoc-plugins.sh
generate_swift "$PWD/hack/codegen/cri-proto" "$PWD/Sources/SkiffCRI/Generated" runtime/v1/api.proto
