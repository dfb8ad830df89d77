#!/usr/bin/env bash
# Packaging test: build, `pnpm pack` both packages, install the tarballs with plain npm into a fresh
# project outside the workspace, then run an ES module program, a CommonJS program and the CLI
# against the packed emulator, and type-check a strict TypeScript program (ESM and CJS flavours)
# whose @ts-expect-error lines fail if the published types degrade to `any`.
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

step "install the tarballs into a fresh project with npm"
APP="$TMP/app"
mkdir -p "$APP"
cp scripts/pack-test/esm.mjs scripts/pack-test/cjs.cjs scripts/pack-test/cli.mjs \
  scripts/pack-test/esm.mts scripts/pack-test/cjs.cts scripts/pack-test/tsconfig.json "$APP/"
echo '{ "name": "effect-iamport-pack-test", "version": "0.0.0", "private": true }' >"$APP/package.json"
# the peer ranges the packed packages declare
PEERS="$(node -e '
  const m = require(process.argv[1]).peerDependencies
  console.log(["effect", "@effect/platform", "@effect/platform-node"].map((n) => `${n}@${m[n]}`).join(" "))
' "$TMP/manifests/testing/package/package.json")"
(cd "$APP" && npm install --no-audit --no-fund --loglevel=error \
  "$CLIENT_TGZ" "$TESTING_TGZ" $PEERS "typescript@~5.9.0" "@types/node@^20")
(cd "$APP" && node -e '
  for (const n of ["@effect-iamport/client", "@effect-iamport/testing", "effect", "@effect/platform", "@effect/platform-node", "typescript"])
    console.log(`    ${n}@${require(`${n}/package.json`).version}`)
')

step "run an ES module program"
(cd "$APP" && node esm.mjs)
step "run a CommonJS program"
(cd "$APP" && node cjs.cjs)
step "run the CLI"
(cd "$APP" && node cli.mjs)

step "type-check a strict TypeScript program against the published types"
(cd "$APP" && npx --no-install tsc -p tsconfig.json --listFiles >tsc-files.txt) || {
  cat "$APP/tsc-files.txt"
  exit 1
}
# the import condition must give dist/dts, the require condition dist/cjs
for f in client/dist/dts/index.d.ts client/dist/cjs/index.d.ts testing/dist/dts/index.d.ts testing/dist/cjs/index.d.ts; do
  grep -q "node_modules/@effect-iamport/$f\$" "$APP/tsc-files.txt" || {
    echo "pack-test: tsc did not load @effect-iamport/$f"
    exit 1
  }
done
echo "    tsc --noEmit: esm.mts and cjs.cts OK (strict, skipLibCheck false; every @ts-expect-error was needed)"

step "OK in $((SECONDS - START)) s"
