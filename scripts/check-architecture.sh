#!/usr/bin/env bash
# Enforces the import rules of docs/architecture.md on the source tree:
#  - ProphRLCore imports only the standard library and RealModule (swift-numerics): no Foundation, no
#    native library, no module of ours;
#  - ProphRL (application) imports only ProphRLCore;
#  - ProphRLTesting imports only ProphRLCore (and Synchronization, for locks in fakes);
#  - an adapter imports ProphRLCore, its own C<Name>/bridge targets, POSIXSupport (shared socket/clock plumbing),
#    and (model adapters only) the tensor engine;
#  - only Sources/prophrl (the composition root) may import adapters and ArgumentParser.
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0

check() { # dir allowed-regex
    local dir=$1 allowed=$2
    [ -d "$dir" ] || return 0
    while IFS= read -r line; do
        file=${line%%:*}
        module=$(sed -E 's/.*import[[:space:]]+([A-Za-z_][A-Za-z0-9_]*).*/\1/' <<<"${line#*:*:}")
        if ! [[ "$module" =~ ^($allowed)$ ]]; then
            echo "architecture: $file imports $module, not allowed in $dir" >&2
            fail=1
        fi
    done < <(grep -rnE '^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*import[[:space:]]+' --include='*.swift' "$dir" || true)
}

check Sources/ProphRLCore 'RealModule'
check Sources/ProphRL 'ProphRLCore|RealModule|Dispatch|Synchronization'
check Sources/ProphRLTesting 'ProphRLCore|RealModule|Synchronization'
for adapter in Adapters/*/; do
    [ -d "$adapter" ] || continue
    check "$adapter" 'ProphRLCore|RealModule|Foundation|Dispatch|Synchronization|Glibc|Musl|C[A-Z][A-Za-z0-9]*|[A-Za-z]+Bridge|TensorEngine|OpenBLASTensorEngine|POSIXSupport'
done

# The core must not link or declare native libraries in the manifest either.
if awk '/name: "ProphRLCore"/,/\)/' Package.swift | grep -qE 'linkerSettings|systemLibrary|unsafeFlags'; then
    echo "architecture: ProphRLCore declares native linkage in Package.swift" >&2
    fail=1
fi

if [ $fail -eq 0 ]; then echo "architecture: import rules hold"; fi
exit $fail
