#!/bin/sh
# Regenerates packages/catalog/gen-hms (Hive Metastore) and
# connectors/trino/gen-trino (Trino's Thrift connector protocol) from our IDL with
# the Apache Thrift compiler (Debian package thrift-compiler 0.17.0). The output is committed, so
# building and testing need no compiler; run this after editing the IDL.
#
# `--gen js:node,es6,ts`: CommonJS modules with promise-returning clients and
# processors that accept handlers returning values or promises, plus .d.ts.
# (Without es6 the output calls thrift.Q, which the 0.24 runtime dropped.)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../packages/catalog/gen-hms"
want="0.17.0"
have=$(thrift --version 2>/dev/null | sed -n 's/^Thrift version //p')
if [ "$have" != "$want" ]; then
  echo "generate.sh: needs the Thrift compiler $want (found: ${have:-none});" >&2
  echo "  apt-get install -y thrift-compiler" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# generate IDL OUT: compiles one IDL into OUT (replacing its generated files).
generate() {
  rm -rf "$tmp/out"
  mkdir -p "$tmp/out"
  thrift -r --gen js:node,es6,ts -out "$tmp/out" "$1"
  # The packages are ESM; these folders hold CommonJS.
  printf '{\n  "type": "commonjs"\n}\n' > "$tmp/out/package.json"
  mkdir -p "$2"
  rm -f "$2"/*.js "$2"/*.d.ts "$2"/package.json
  cp "$tmp/out"/* "$2"/
}

generate "$here/hive_metastore.thrift" "$out"
generate "$here/trino.thrift" "$here/../connectors/trino/gen-trino"
