#!/usr/bin/env bash
# Fails when a vendor/ patch no longer applies to what the build uses
# (vendor/README.md). `make build`, `make dev` and `make lint` run it.
#
# Each vendor/<crate>/ is a crates.io release with vendor/<crate>.patch
# applied, put in the build by [patch.crates-io] in Cargo.toml. Cargo
# drops such an entry with only a warning when the version Leptos asks for
# moves on, and the build then quietly uses the unpatched crate (a bigger
# seller WASM, docs/wasm-size.md). Checked here:
#   1. leptos, leptos_router, leptos_axum are pinned with `=` in the root
#      Cargo.toml, and the crates use them from the workspace;
#   2. Cargo.lock matches the manifests (`cargo metadata --locked`);
#   3. Cargo.lock takes each vendored crate from vendor/ (no crates.io copy,
#      no [[patch.unused]]);
#   4. each vendored tree still carries its whole patch (it reverse-applies
#      with no fuzz);
#   5. when cargo's cache holds the upstream release (or with --upstream,
#      which fetches it with cargo): upstream + patch == the vendored files.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

upstream=auto
case "${1:-}" in
  "") ;;
  --upstream) upstream=fetch ;;
  *) echo "usage: $0 [--upstream]" >&2; exit 2 ;;
esac

fail() {
  printf 'vendor-check: %s\n' "$*" >&2
  echo "vendor-check: see vendor/README.md (\"Upgrading Leptos\")" >&2
  exit 1
}

# 1. The pins.
for dep in leptos leptos_router leptos_axum; do
  line=$(grep -E "^$dep *=" Cargo.toml || true)
  [[ "$line" =~ version\ *=\ *\"=[0-9] ]] \
    || fail "Cargo.toml: $dep must be pinned exactly (version = \"=x.y.z\"), found: ${line:-nothing}"
done
for manifest in */Cargo.toml; do
  while IFS= read -r line; do
    [[ "$line" == *workspace* ]] \
      || fail "$manifest: '$line': take Leptos from [workspace.dependencies] (leptos.workspace = true)"
  done < <(grep -E '^leptos[a-z_]* *(\.|=)' "$manifest" || true)
done

# 2. The lockfile agrees with the manifests (and so with the pins).
if ! cargo metadata --locked --format-version 1 >/dev/null; then
  fail "Cargo.lock does not match the manifests (see cargo's message above)"
fi

# The vendored crates: vendor/<crate>/ with vendor/<crate>.patch.
crates=()
for patch_file in vendor/*.patch; do
  crates+=("$(basename "$patch_file" .patch)")
done
[ ${#crates[@]} -gt 0 ] || fail "no vendor/*.patch found"

# 3. The build takes them from vendor/.
if grep -q '^\[\[patch\.unused\]\]' Cargo.lock; then
  fail "Cargo.lock lists an unused [patch.crates-io] entry: a vendored crate's version is not the one Leptos asks for"
fi
version_of() {
  sed -n '/^\[package\]/,/^\[/{s/^version = "\(.*\)"$/\1/p}' "vendor/$1/Cargo.toml" | head -n 1
}
for crate in "${crates[@]}"; do
  [ -f "vendor/$crate/Cargo.toml" ] || fail "vendor/$crate.patch has no vendor/$crate/"
  wanted=$(version_of "$crate")
  # One "version source" line per [[package]] named $crate; a path
  # dependency (the vendored copy) has no source.
  locked=$(awk -v want="\"$crate\"" '
    /^\[\[package\]\]/ { if (n == want) print v, (s == "" ? "vendor" : s); n = v = s = "" }
    /^name = /    { n = $3 }
    /^version = / { v = $3 }
    /^source = /  { s = $3 }
    END           { if (n == want) print v, (s == "" ? "vendor" : s) }
  ' Cargo.lock | tr -d '"')
  [ "$locked" = "$wanted vendor" ] \
    || fail "$crate: the build uses '${locked:-nothing}', not vendor/$crate ($wanted): the patch is no longer applied"
done

# 4. Each vendored tree carries its patch.
for crate in "${crates[@]}"; do
  if ! out=$(patch --reverse --dry-run --force --fuzz=0 -p1 -d "vendor/$crate" <"vendor/$crate.patch" 2>&1); then
    printf '%s\n' "$out" >&2
    fail "vendor/$crate no longer contains vendor/$crate.patch"
  fi
done

# 5. Upstream + patch == vendor/<crate>, where the upstream release is at hand.
registry_src() {
  local d
  for d in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"$1-$2"; do
    [ -f "$d/Cargo.toml" ] && { echo "$d"; return 0; }
  done
  return 1
}
if [ "$upstream" = fetch ]; then
  # A throwaway package that depends on the releases, with the workspace's
  # lockfile so that cargo downloads only them.
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  mkdir "$tmp/src"
  : >"$tmp/src/lib.rs"
  { printf '[package]\nname = "vendor-upstream"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\n'
    for crate in "${crates[@]}"; do printf '%s = "=%s"\n' "$crate" "$(version_of "$crate")"; done
  } >"$tmp/Cargo.toml"
  cp Cargo.lock "$tmp/"
  (cd "$tmp" && cargo fetch --quiet)
fi
for crate in "${crates[@]}"; do
  version=$(version_of "$crate")
  if ! src=$(registry_src "$crate" "$version"); then
    echo "vendor-check: $crate $version: upstream source not in cargo's cache, compared with the patch only (--upstream fetches it)"
    continue
  fi
  work=$(mktemp -d)
  cp -r "$src/." "$work/"
  if ! out=$(patch --forward --force --fuzz=0 -p1 -d "$work" <"vendor/$crate.patch" 2>&1); then
    rm -rf "$work"
    printf '%s\n' "$out" >&2
    fail "vendor/$crate.patch does not apply to $crate $version from crates.io"
  fi
  # Every vendored file must be upstream's, patched. (Upstream files left
  # out of vendor/, such as its Cargo.lock, do not matter to the build.)
  differing=$(cd "vendor/$crate" && find . -type f -print0 | while IFS= read -r -d '' f; do
    cmp -s "$f" "$work/$f" || echo "  vendor/$crate/${f#./}"
  done)
  rm -rf "$work"
  [ -z "$differing" ] \
    || fail "vendor/$crate differs from $crate $version + vendor/$crate.patch in:"$'\n'"$differing"
done

echo "vendor-check: ${crates[*]} patched as vendor/README.md says (Leptos $(sed -n 's/^leptos = { version = "=\([^"]*\)".*/\1/p' Cargo.toml))"
