/*
 * The main job of govshare, from C: load the bundled demo registry
 * (examples/data/registry.json), decide the six demo requests in
 * examples/data/requests/ (an allow, a scope expansion, a purpose change, an
 * ended period with its disposal obligation, a third-party transfer, a use
 * through the department's contractor) and print each decision. The same
 * job as examples/quickstart.rs.
 *
 * Build and run from the repository root (see README.md, "Use it from C"):
 *
 *   cargo build --release
 *   gcc -std=c11 -Wall -Wextra -Werror -Iinclude examples/c/quickstart.c \
 *       -Ltarget/release -lgovshare -Wl,-rpath,"$PWD/target/release" \
 *       -o target/quickstart-c
 *   ./target/quickstart-c examples/data
 *
 * Any status other than GOVSHARE_STATUS_OK is treated as deny, as the header
 * requires.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "govshare.h"

/* Reads a whole file; the caller frees *data. Returns 0 on success. */
static int read_file(const char *path, uint8_t **data, size_t *len) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        return -1;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    if (buf == NULL) {
        fclose(f);
        return -1;
    }
    for (;;) {
        if (n == cap) {
            uint8_t *bigger = realloc(buf, cap * 2);
            if (bigger == NULL) {
                free(buf);
                fclose(f);
                return -1;
            }
            buf = bigger;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            break;
        }
    }
    int failed = ferror(f);
    fclose(f);
    if (failed) {
        free(buf);
        return -1;
    }
    *data = buf;
    *len = n;
    return 0;
}

/* Prints a failed call's status and error JSON, and frees the error. */
static void report(const char *what, govshare_status status, char *error) {
    fprintf(stderr, "%s: %s (%u): %s\n", what, govshare_status_name(status), (unsigned)status,
            error != NULL ? error : govshare_status_message(status));
    govshare_string_free(error);
}

int main(int argc, char **argv) {
    const char *data_dir = argc > 1 ? argv[1] : "examples/data";
    static const struct {
        const char *title;
        const char *file;
    } requests[] = {
        {"allow / 允许", "01-allow.json"},
        {"scope expansion / 超范围使用", "02-scope-expansion.json"},
        {"purpose change / 改变用途", "03-purpose-change.json"},
        {"ended period / 使用时限届满", "04-period-ended.json"},
        {"third-party transfer / 向第三方提供", "05-third-party.json"},
        {"through a contractor / 受托方代为处理", "06-processor.json"},
    };
    char path[4096];
    int exit_code = 0;

    /* 1. The engine: the embedded statutory policies (NULL) plus the registry. */
    snprintf(path, sizeof path, "%s/registry.json", data_dir);
    uint8_t *registry = NULL;
    size_t registry_len = 0;
    if (read_file(path, &registry, &registry_len) != 0) {
        return 1;
    }
    govshare_engine *engine = NULL;
    char *error = NULL;
    govshare_status status = govshare_engine_new(NULL, registry, registry_len, &engine, &error);
    free(registry); /* the engine keeps its own copy */
    if (status != GOVSHARE_STATUS_OK) {
        report("govshare_engine_new", status, error);
        return 1;
    }
    printf("govshare %s (C ABI), registry %s\n\n", govshare_version(), path);

    /* 2. Decide each request. */
    for (size_t i = 0; i < sizeof requests / sizeof requests[0]; i++) {
        snprintf(path, sizeof path, "%s/requests/%s", data_dir, requests[i].file);
        uint8_t *request = NULL;
        size_t request_len = 0;
        if (read_file(path, &request, &request_len) != 0) {
            exit_code = 1;
            continue;
        }
        char *decision = NULL;
        error = NULL;
        status = govshare_engine_evaluate(engine, request, request_len, &decision, &error);
        free(request);
        printf("== %s (%s)\n", requests[i].title, requests[i].file);
        if (status != GOVSHARE_STATUS_OK) {
            /* No decision was made: treat it as deny. */
            printf("   DENY: no decision (%s)\n\n", govshare_status_name(status));
            report("govshare_engine_evaluate", status, error);
            exit_code = 1;
            continue;
        }
        int allow = strstr(decision, "\"decision\":\"allow\"") != NULL;
        printf("   %s\n   %s\n\n", allow ? "ALLOW / 允许" : "DENY / 拒绝", decision);
        govshare_string_free(decision);
    }

    /* 3. Free what the library handed out. */
    govshare_engine_free(engine);
    return exit_code;
}
