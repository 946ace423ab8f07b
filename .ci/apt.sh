# Sourced by the .ci scripts that install a Debian package when a tool is
# missing (postgres.sh, java.sh, report.sh): as root directly, otherwise
# through sudo; from the package lists already on the machine first, and
# after an `apt-get update` only when that fails.

as_root() {
    if [[ "$(id -u)" == 0 ]]; then "$@"; else sudo "$@"; fi
}

apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    if ! as_root apt-get install -y --no-install-recommends "$@"; then
        as_root apt-get update
        as_root apt-get install -y --no-install-recommends "$@"
    fi
}
