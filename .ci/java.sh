#!/usr/bin/env bash
# The Java host gate (run by .ci/run, or alone: `bash .ci/java.sh`):
#   1. installs what is missing: Debian's JNA (libjna-java) and a JDK 17+;
#   2. builds the library once (`cargo build --release --locked --lib`);
#   3. compiles bindings/java/src/main into govshare-java.jar (javac -Werror,
#      lint and doclint on), then the examples and the tests against it;
#   4. runs the tests (plain `java`, no Maven or JUnit download) with
#      file.encoding=ISO-8859-1, to prove no text depends on the platform
#      encoding, and the example decides the five demo requests.
# Everything is built in a temporary folder removed on exit; the JVMs are
# told not to write to /tmp. Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TERM_COLOR=never

JNA_JAR=/usr/share/java/jna.jar
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
mkdir -p "$TARGET_DIR"
LIB_DIR="$(cd "$TARGET_DIR" && pwd)/release"
SRC=bindings/java

started=$SECONDS
section() { printf '\n--> %s (%ds)\n' "$*" $((SECONDS - started)); }

# shellcheck source=.ci/apt.sh
source .ci/apt.sh

javac_major() {
    # "javac 17.0.15" -> 17 (nothing when javac is missing)
    javac -J-XX:-UsePerfData -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p' || true
}

section "JDK and JNA"
if [[ "$(javac_major)" -lt 17 ]] 2>/dev/null || [[ -z "$(javac_major)" ]]; then
    apt_install openjdk-17-jdk-headless
fi
if [[ ! -f "$JNA_JAR" ]]; then
    apt_install libjna-java
fi
javac -J-XX:-UsePerfData -version
echo "JNA: $(readlink -f "$JNA_JAR")"

section "library: cargo build --release --locked --lib"
cargo build --release --locked --lib
test -f "$LIB_DIR/libgovshare.so"

scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/main" "$scratch/test" "$scratch/tmp"
# No hsperfdata in /tmp, and no JNA scratch files outside $scratch.
JVM=(-XX:-UsePerfData -Djava.io.tmpdir="$scratch/tmp" -Djna.tmpdir="$scratch/tmp")
JAVAC=(javac "${JVM[@]/#/-J}" -encoding UTF-8 -Xlint:all -Werror --release 17)

section "javac: the library (bindings/java/src/main)"
find "$SRC/src/main/java" -name '*.java' > "$scratch/main.txt"
"${JAVAC[@]}" -Xdoclint:all,-missing -cp "$JNA_JAR" -d "$scratch/main" @"$scratch/main.txt"
jar -J-XX:-UsePerfData --create --file "$scratch/govshare-java.jar" -C "$scratch/main" .
echo "govshare-java.jar: $(wc -l < "$scratch/main.txt") sources"

section "javac: the examples and the tests, against the jar"
find "$SRC/examples" "$SRC/src/test/java" -name '*.java' > "$scratch/test.txt"
CP="$JNA_JAR:$scratch/govshare-java.jar"
"${JAVAC[@]}" -cp "$CP" -d "$scratch/test" @"$scratch/test.txt"
CP="$CP:$scratch/test"

section "Java tests (file.encoding=ISO-8859-1, library from -Dgovshare.library.path)"
java "${JVM[@]}" -Dfile.encoding=ISO-8859-1 -Dgovshare.library.path="$LIB_DIR" \
    -cp "$CP" cn.govshare.EngineTest .

section "Java example: the five demo requests (library from -Djna.library.path)"
java "${JVM[@]}" -Djna.library.path="$LIB_DIR" \
    -cp "$CP" com.example.govshare.Quickstart examples/data

section "Java host passed"
