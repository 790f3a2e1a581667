#!/usr/bin/env bash
# Prepares a fresh Debian machine to build and test megasplit, and does nothing
# slow when it is already prepared (safe to run on every CI build).
#
# 1. System packages: the JDK (javac, jimage, jar), the corpus of real jars the
#    tests read and run (Rhino, ASM, Jython, Groovy, ANTLR4, Janino, ProGuard
#    ReTrace, esprima for Rhino to parse, Clojure with its spec libraries, JRuby,
#    Xalan and Saxon-HE, the Scala, Kotlin and Eclipse Java compilers), jasmin-sable (the reference Jasmin
#    assembler and its examples, which `asm` must accept) and unzip, which tests use to check
#    jars, and the JDK's source archive (openjdk-17-source: src.zip, which the
#    javac test compiles; Debian puts it in /usr/lib/jvm/openjdk-17/lib/src.zip).
#    apt runs only when dpkg-query says one of them is missing; as root
#    directly, otherwise through sudo.
# 2. Node dependencies: `npm ci` from the lockfile (`npm install` without one),
#    skipped when node_modules already matches the lockfile.
# 3. `npm run build`, skipped when dist/ was built from exactly these sources: a
#    hash of every file tsc reads (src/, passes/, runtime/, tsconfig.json and the
#    lockfile) is kept in dist/.build-inputs.sha256 after a successful build, and
#    the build runs again only when the hash differs (or dist/ is missing).
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(openjdk-17-jdk-headless openjdk-17-source rhino libasm-java jython groovy antlr4 janino proguard-cli node-esprima unzip time jasmin-sable libclojure-java jruby libxalan2-java libsaxonhe-java scala kotlin libecj-java)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}"
  if [[ $(id -u) -eq 0 ]]; then
    as_root=()
  elif command -v sudo >/dev/null; then
    as_root=(sudo)
  else
    echo "setup: need root or sudo to install ${missing[*]}" >&2
    exit 1
  fi
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi

if [[ -f package-lock.json ]]; then
  # npm writes node_modules/.package-lock.json on install; when it is newer than the
  # lockfile the tree is current and `npm ci` (which deletes node_modules) is skipped.
  if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
    npm ci
  fi
else
  npm install
fi

build_inputs_hash() {
  { find src passes runtime -name '*.ts' -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
    sha256sum tsconfig.json package.json
    [[ -f package-lock.json ]] && sha256sum package-lock.json
    node --version; } | sha256sum | cut -d' ' -f1
}

stamp=dist/.build-inputs.sha256
hash=$(build_inputs_hash)
if [[ -f "$stamp" && "$(cat "$stamp")" == "$hash" && -f dist/src/cli/main.js ]]; then
  echo "setup: dist/ is up to date; build skipped"
else
  rm -f "$stamp"
  npm run build
  echo "$hash" > "$stamp"
fi
