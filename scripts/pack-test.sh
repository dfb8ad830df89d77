#!/usr/bin/env bash
# Packaging test: build, `pnpm pack` both packages, install the tarballs with plain npm into a fresh
# project outside the workspace, then run an ES module program, a CommonJS program and the CLI
# against the packed emulator, and type-check a strict TypeScript program (ESM and CJS flavours)
# whose @ts-expect-error lines fail if the published types degrade to `any`. All of it twice: with
# the peers the workspace has installed, then with the lowest versions the peer ranges allow.
#
#   bash scripts/pack-test.sh          (pnpm pack:test)
#   KEEP=1 bash scripts/pack-test.sh   keep the temporary directory for inspection
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
START=$SECONDS
if [ -z "${PNPM:-}" ]; then
  if command -v pnpm >/dev/null 2>&1; then PNPM=pnpm; else PNPM="npx -y pnpm@10.34.8"; fi
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/effect-iamport-pack-test.XXXXXX")"
cleanup() { if [ -n "${KEEP:-}" ]; then echo "pack-test: kept $TMP"; else rm -rf "$TMP"; fi; }
trap cleanup EXIT
step() { echo "pack-test: [$((SECONDS - START)) s] $*"; }

step "build"
node scripts/build.mjs

step "type-check the @example blocks of the doc comments"
node scripts/check-examples.mjs

step "pack"
mkdir -p "$TMP/tarballs"
for pkg in client testing; do
  (cd "packages/$pkg" && $PNPM pack --pack-destination "$TMP/tarballs" >/dev/null)
done
CLIENT_TGZ="$(ls "$TMP"/tarballs/effect-iamport-client-*.tgz)"
TESTING_TGZ="$(ls "$TMP"/tarballs/effect-iamport-testing-*.tgz)"
for tgz in "$CLIENT_TGZ" "$TESTING_TGZ"; do
  echo "--- $(basename "$tgz") ($(wc -c <"$tgz" | tr -d ' ') bytes, $(tar tzf "$tgz" | wc -l | tr -d ' ') files)"
  tar tzf "$tgz" | sort | sed 's/^/    /'
done

step "check the packed package.json files"
mkdir -p "$TMP/manifests/client" "$TMP/manifests/testing"
tar xzf "$CLIENT_TGZ" -C "$TMP/manifests/client" package/package.json
tar xzf "$TESTING_TGZ" -C "$TMP/manifests/testing" package/package.json
node scripts/pack-test/check-manifests.mjs "$TMP/manifests/client/package/package.json" \
  "$TMP/manifests/testing/package/package.json" "$CLIENT_TGZ" "$TESTING_TGZ"

# Installs the tarballs and the given `name@version` specs (exact) into a fresh project with npm (with the
# npm flags in NPM_FLAGS), then runs an ES module program, a CommonJS program and the CLI there, and
# type-checks the strict TypeScript programs.
check_install() {
  local label="$1"
  shift
  local app="$TMP/app-$label"
  step "$label: install the tarballs into a fresh project with npm"
  mkdir -p "$app"
  cp scripts/pack-test/esm.mjs scripts/pack-test/cjs.cjs scripts/pack-test/cli.mjs \
    scripts/pack-test/esm.mts scripts/pack-test/cjs.cts scripts/pack-test/tsconfig.json "$app/"
  echo '{ "name": "effect-iamport-pack-test", "version": "0.0.0", "private": true }' >"$app/package.json"
  (cd "$app" && npm install --no-audit --no-fund --loglevel=error ${NPM_FLAGS:-} "$CLIENT_TGZ" "$TESTING_TGZ" "$@")
  (cd "$app" && node -e '
    for (const spec of ["@effect-iamport/client@", "@effect-iamport/testing@", ...process.argv.slice(1)]) {
      const [name, wanted] = [spec.slice(0, spec.lastIndexOf("@")), spec.slice(spec.lastIndexOf("@") + 1)]
      const installed = require(`${name}/package.json`).version
      console.log(`    ${name}@${installed}`)
      if (wanted !== "" && installed !== wanted) throw new Error(`${name}: ${wanted} was asked for, ${installed} installed`)
    }
  ' "$@")

  step "$label: run an ES module program"
  (cd "$app" && node esm.mjs)
  step "$label: run a CommonJS program"
  (cd "$app" && node cjs.cjs)
  step "$label: run the CLI"
  (cd "$app" && node cli.mjs)

  step "$label: type-check a strict TypeScript program against the published types"
  (cd "$app" && npx --no-install tsc -p tsconfig.json --listFiles >tsc-files.txt) || {
    cat "$app/tsc-files.txt"
    exit 1
  }
  # the import condition must give dist/dts, the require condition dist/cjs
  for f in client/dist/dts/index.d.ts client/dist/cjs/index.d.ts testing/dist/dts/index.d.ts testing/dist/cjs/index.d.ts; do
    grep -q "node_modules/@effect-iamport/$f\$" "$app/tsc-files.txt" || {
      echo "pack-test: tsc did not load @effect-iamport/$f"
      exit 1
    }
  done
  echo "    tsc --noEmit: esm.mts and cjs.cts OK (strict, skipLibCheck false; every @ts-expect-error was needed)"
}

# Exact versions, so every run installs the same: TypeScript and @types/node as in the workspace, and the peers
# first as in the workspace (what its tests ran against), then at the lowest versions the peer ranges declare.
TOOLS="$(node scripts/pack-test/versions.mjs workspace typescript @types/node)"
WORKSPACE_PEERS="$(node scripts/pack-test/versions.mjs workspace effect @effect/platform @effect/platform-node)"
LOWEST_PEERS="$(node scripts/pack-test/versions.mjs lowest "$TMP/manifests/client/package/package.json" \
  "$TMP/manifests/testing/package/package.json")"
check_install workspace $TOOLS $WORKSPACE_PEERS
# Without peer auto-install, as in the workspace (auto-install-peers=false): npm would add @effect/platform-node's
# own peers (@effect/cluster, @effect/rpc, @effect/sql) at their newest, which need a newer @effect/platform.
NPM_FLAGS=--legacy-peer-deps check_install lowest $TOOLS $LOWEST_PEERS

step "OK in $((SECONDS - START)) s"
