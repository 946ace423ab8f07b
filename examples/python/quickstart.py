#!/usr/bin/env python3
"""govshare from Python through the C ABI (ctypes, standard library only).

Builds an engine from the embedded statutory policies and the demo registry,
decides one request that must be allowed and one that must be denied, shows
how a malformed request is refused (no decision: treat it as deny), and frees
everything it was handed.

    cargo build --release
    python3 examples/python/quickstart.py [path/to/libgovshare.so]

Exits non-zero on any unexpected result.
"""

import ctypes
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "examples" / "data"

# Status numbers of include/govshare.h (a contract: never changed or reused).
OK = 0
INVALID_REQUEST = 4


def load(path):
    lib = ctypes.CDLL(str(path))
    # Strings the library hands out are char* that we must free ourselves,
    # so they are declared as c_void_p (ctypes would copy and lose a c_char_p).
    out = ctypes.POINTER(ctypes.c_void_p)
    lib.govshare_version.restype = ctypes.c_char_p
    lib.govshare_version.argtypes = []
    lib.govshare_status_name.restype = ctypes.c_char_p
    lib.govshare_status_name.argtypes = [ctypes.c_uint32]
    lib.govshare_engine_new.restype = ctypes.c_uint32
    lib.govshare_engine_new.argtypes = [
        ctypes.c_char_p, ctypes.c_char_p, ctypes.c_size_t, out, out]
    lib.govshare_engine_evaluate.restype = ctypes.c_uint32
    lib.govshare_engine_evaluate.argtypes = [
        ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, out, out]
    lib.govshare_engine_free.restype = None
    lib.govshare_engine_free.argtypes = [ctypes.c_void_p]
    lib.govshare_string_free.restype = None
    lib.govshare_string_free.argtypes = [ctypes.c_void_p]
    return lib


def take(lib, pointer):
    """Copies a string the library handed out, then frees it."""
    if not pointer.value:
        return None
    try:
        return ctypes.string_at(pointer.value).decode("utf-8")
    finally:
        lib.govshare_string_free(pointer.value)


def evaluate(lib, engine, request: bytes):
    """Returns (status, decision or None, error or None)."""
    decision, error = ctypes.c_void_p(), ctypes.c_void_p()
    status = lib.govshare_engine_evaluate(
        engine, request, len(request), ctypes.byref(decision), ctypes.byref(error))
    decision_json, error_json = take(lib, decision), take(lib, error)
    return (status,
            json.loads(decision_json) if decision_json else None,
            json.loads(error_json) if error_json else None)


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "target" / "release" / "libgovshare.so"
    lib = load(path)
    print(f"govshare {lib.govshare_version().decode()} via ctypes ({path.name})")

    registry = (DATA / "registry.json").read_bytes()
    engine, error = ctypes.c_void_p(), ctypes.c_void_p()
    status = lib.govshare_engine_new(
        None, registry, len(registry), ctypes.byref(engine), ctypes.byref(error))
    if status != OK:
        print(f"cannot build the engine: {take(lib, error)}", file=sys.stderr)
        return 1

    failures = []
    try:
        for name, want_decision, want_rule in [
            ("01-allow.json", "allow", "GS-PERMIT"),
            ("02-scope-expansion.json", "deny", "GS-SCOPE-EXPANSION"),
        ]:
            status, decision, error = evaluate(lib, engine, (DATA / "requests" / name).read_bytes())
            if status != OK:
                # No decision was made: treat it as deny.
                failures.append(f"{name}: {lib.govshare_status_name(status).decode()}: {error}")
                continue
            rules = [r["rule"] for r in decision["reasons"]]
            print(f"{name}: {decision['decision']} {rules}")
            for reason in decision["reasons"]:
                print(f"    {reason['zh']}\n    {reason['en']}")
            if decision["decision"] != want_decision or rules[:1] != [want_rule]:
                failures.append(f"{name}: expected {want_decision} {want_rule}, got {decision}")

        status, decision, error = evaluate(lib, engine, b'{"requester": "hz-hrss"}')
        print(f"malformed request: {lib.govshare_status_name(status).decode()}: {error['message']}")
        if status != INVALID_REQUEST or decision is not None or error["code"] != INVALID_REQUEST:
            failures.append(f"malformed request: status {status}, error {error}")
    finally:
        lib.govshare_engine_free(engine)

    for failure in failures:
        print(f"UNEXPECTED: {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
