/*
 * Tests of the govshare C ABI (include/govshare.h), run by .ci/c-abi.sh
 * against the static and the dynamic library, under AddressSanitizer with
 * UBSan, and under Valgrind.
 *
 * They cover every exported function (govshare_engine_new_with_options and
 * its clock guard for live use included); every status that a caller can
 * provoke (NULL_PARAMETER for each pointer, INVALID_UTF8, INVALID_JSON,
 * INVALID_REQUEST, LOAD_FAILED, LIMIT_EXCEEDED, IO); outputs left untouched
 * on error (and error_out untouched on success); freeing NULL; and 8 threads
 * deciding a mix of allow and deny requests against one engine, checking
 * every answer; and, on a thread with a 64 KiB stack, policies nested past
 * the limit (refused, not a crash) and the deepest policies admitted
 * (decided correctly). PANIC and INTERNAL cannot be provoked through the
 * ABI; the panic boundary is tested in Rust (src/ffi/c.rs).
 *
 * Usage: test_govshare [REPOSITORY_ROOT]   (default: the current directory)
 * GOVSHARE_TEST_ITERATIONS sets the evaluations per thread (default 200).
 * Prints one line per failed check and a final "N passed, N failed" line;
 * exits 0 only when nothing failed.
 */

#define _POSIX_C_SOURCE 200809L /* mkdtemp, opendir */

#include <dirent.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "govshare.h"

/* The numbers are a contract: they must never change. */
_Static_assert(GOVSHARE_STATUS_OK == 0, "OK is 0");
_Static_assert(GOVSHARE_STATUS_NULL_PARAMETER == 1, "NULL_PARAMETER is 1");
_Static_assert(GOVSHARE_STATUS_INVALID_UTF8 == 2, "INVALID_UTF8 is 2");
_Static_assert(GOVSHARE_STATUS_INVALID_JSON == 3, "INVALID_JSON is 3");
_Static_assert(GOVSHARE_STATUS_INVALID_REQUEST == 4, "INVALID_REQUEST is 4");
_Static_assert(GOVSHARE_STATUS_LOAD_FAILED == 5, "LOAD_FAILED is 5");
_Static_assert(GOVSHARE_STATUS_LIMIT_EXCEEDED == 6, "LIMIT_EXCEEDED is 6");
_Static_assert(GOVSHARE_STATUS_PANIC == 7, "PANIC is 7");
_Static_assert(GOVSHARE_STATUS_IO == 8, "IO is 8");
_Static_assert(GOVSHARE_STATUS_INTERNAL == 9, "INTERNAL is 9");
_Static_assert(sizeof(govshare_status) == 4, "govshare_status is 32 bits");

/* ------------------------------------------------------------ the harness */

static int passed, failed;

static void check_at(int ok, const char *file, int line, const char *what, const char *fmt,
                     ...) {
    if (ok) {
        passed++;
        return;
    }
    failed++;
    fprintf(stderr, "%s:%d: FAILED: %s", file, line, what);
    if (fmt != NULL) {
        va_list args;
        va_start(args, fmt);
        fputs(" -- ", stderr);
        vfprintf(stderr, fmt, args);
        va_end(args);
    }
    fputc('\n', stderr);
}

#define CHECK(cond) check_at((cond) != 0, __FILE__, __LINE__, #cond, NULL)
#define CHECK_MSG(cond, ...) check_at((cond) != 0, __FILE__, __LINE__, #cond, __VA_ARGS__)

/* Sentinels: outputs are set to these before a call that must fail, and
 * must still hold them afterwards. */
static max_align_t sentinel_storage;
#define STRING_SENTINEL ((char *)&sentinel_storage)
#define ENGINE_SENTINEL ((govshare_engine *)&sentinel_storage)

static const char *root = ".";

/* A buffer with its length (not NUL-terminated as far as the ABI knows). */
typedef struct {
    uint8_t *data;
    size_t len;
} buffer;

static buffer read_file(const char *relative) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, relative);
    buffer b = {NULL, 0};
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    if (fseek(f, 0, SEEK_END) != 0) {
        exit(2);
    }
    long size = ftell(f);
    if (size < 0 || fseek(f, 0, SEEK_SET) != 0) {
        exit(2);
    }
    b.len = (size_t)size;
    b.data = malloc(b.len + 1);
    if (b.data == NULL || fread(b.data, 1, b.len, f) != b.len) {
        exit(2);
    }
    b.data[b.len] = '\0';
    fclose(f);
    return b;
}

static buffer text(const char *s) {
    buffer b;
    b.len = strlen(s);
    b.data = malloc(b.len + 1);
    if (b.data == NULL) {
        exit(2);
    }
    memcpy(b.data, s, b.len + 1);
    return b;
}

static char *path_of(const char *relative) {
    size_t n = strlen(root) + strlen(relative) + 2;
    char *p = malloc(n);
    if (p == NULL) {
        exit(2);
    }
    snprintf(p, n, "%s/%s", root, relative);
    return p;
}

/* Checks a failed call: its status, its error JSON ("status", "code" and a
 * phrase of the message), then frees the error. */
static void expect_error_at(const char *file, int line, govshare_status got,
                            govshare_status want, char *error, const char *phrase) {
    check_at(got == want, file, line, "status", "expected %s, got %s", govshare_status_name(want),
             govshare_status_name(got));
    check_at(error != NULL && error != STRING_SENTINEL, file, line, "error_out was written", NULL);
    if (error == NULL || error == STRING_SENTINEL) {
        return;
    }
    char status_key[64], code_key[32];
    snprintf(status_key, sizeof status_key, "\"status\":\"%s\"", govshare_status_name(want));
    snprintf(code_key, sizeof code_key, "\"code\":%u", (unsigned)want);
    check_at(strstr(error, status_key) != NULL, file, line, "error JSON names the status", "%s",
             error);
    check_at(strstr(error, code_key) != NULL, file, line, "error JSON has the code", "%s", error);
    check_at(strstr(error, "\"message\":\"") != NULL, file, line, "error JSON has a message",
             "%s", error);
    if (phrase != NULL) {
        check_at(strstr(error, phrase) != NULL, file, line, "error message", "lacks \"%s\": %s",
                 phrase, error);
    }
    govshare_string_free(error);
}
#define EXPECT_ERROR(got, want, error, phrase)                                                     \
    expect_error_at(__FILE__, __LINE__, (got), (want), (error), (phrase))

/* --------------------------------------------------------------- the data */

typedef struct {
    const char *file;
    const char *decision; /* "allow" or "deny" */
    const char *rule;     /* the first reason */
    buffer json;
} demo_request;

static demo_request demo[] = {
    {"examples/data/requests/01-allow.json", "allow", "GS-PERMIT", {NULL, 0}},
    {"examples/data/requests/02-scope-expansion.json", "deny", "GS-SCOPE-EXPANSION", {NULL, 0}},
    {"examples/data/requests/03-purpose-change.json", "deny", "GS-PURPOSE-CHANGE", {NULL, 0}},
    {"examples/data/requests/04-period-ended.json", "deny", "GS-PERIOD-ENDED", {NULL, 0}},
    {"examples/data/requests/05-third-party.json", "deny", "GS-THIRD-PARTY", {NULL, 0}},
    {"examples/data/requests/06-processor.json", "allow", "GS-PERMIT", {NULL, 0}},
};
#define DEMO_COUNT (sizeof demo / sizeof demo[0])

static buffer registry;

/* Whether a decision JSON has this outcome and this first reason. */
static int decided(const char *decision, const demo_request *r) {
    char outcome[64], rule[96];
    snprintf(outcome, sizeof outcome, "{\"decision\":\"%s\"", r->decision);
    snprintf(rule, sizeof rule, "\"reasons\":[{\"rule\":\"%s\"", r->rule);
    return decision != NULL && strncmp(decision, outcome, strlen(outcome)) == 0 &&
           strstr(decision, rule) != NULL;
}

static size_t count(const char *haystack, const char *needle) {
    size_t n = 0;
    for (const char *p = haystack; (p = strstr(p, needle)) != NULL; p += strlen(needle)) {
        n++;
    }
    return n;
}

static govshare_engine *new_engine(void) {
    govshare_engine *engine = NULL;
    char *error = NULL;
    govshare_status s = govshare_engine_new(NULL, registry.data, registry.len, &engine, &error);
    CHECK_MSG(s == GOVSHARE_STATUS_OK, "%s", error != NULL ? error : "");
    govshare_string_free(error);
    return engine;
}

/* ------------------------------------------------------------------ tests */

static void test_static_strings(void) {
    const char *version = govshare_version();
    CHECK(version != NULL && version[0] >= '0' && version[0] <= '9' && strchr(version, '.'));
    CHECK(version == govshare_version());

    static const char *names[] = {"OK",          "NULL_PARAMETER",  "INVALID_UTF8",
                                  "INVALID_JSON", "INVALID_REQUEST", "LOAD_FAILED",
                                  "LIMIT_EXCEEDED", "PANIC",         "IO",
                                  "INTERNAL"};
    for (uint32_t code = 0; code < sizeof names / sizeof names[0]; code++) {
        CHECK_MSG(strcmp(govshare_status_name(code), names[code]) == 0, "code %u", code);
        const char *message = govshare_status_message(code);
        CHECK(message != NULL && strlen(message) > 5);
    }
    CHECK(strcmp(govshare_status_name(10), "UNKNOWN") == 0);
    CHECK(strcmp(govshare_status_name(UINT32_MAX), "UNKNOWN") == 0);
    CHECK(strstr(govshare_status_message(UINT32_MAX), "deny") != NULL);
}

static void test_engines_build_three_ways(void) {
    char *error = STRING_SENTINEL;
    govshare_engine *engine = ENGINE_SENTINEL;

    /* Embedded policies, registry from memory. */
    govshare_status s = govshare_engine_new(NULL, registry.data, registry.len, &engine, &error);
    CHECK(s == GOVSHARE_STATUS_OK);
    CHECK(engine != NULL && engine != ENGINE_SENTINEL);
    CHECK_MSG(error == STRING_SENTINEL, "error_out is untouched on success");
    govshare_engine_free(engine);

    /* A policies folder, registry from memory. */
    char *policies = path_of("policies");
    engine = ENGINE_SENTINEL;
    s = govshare_engine_new(policies, registry.data, registry.len, &engine, &error);
    CHECK(s == GOVSHARE_STATUS_OK);
    CHECK(engine != NULL && engine != ENGINE_SENTINEL);
    CHECK(error == STRING_SENTINEL);
    govshare_engine_free(engine);

    /* From files, with and without a policies folder; error_out may be NULL. */
    char *registry_path = path_of("examples/data/registry.json");
    engine = ENGINE_SENTINEL;
    s = govshare_engine_new_from_files(policies, registry_path, &engine, &error);
    CHECK(s == GOVSHARE_STATUS_OK);
    CHECK(engine != NULL && engine != ENGINE_SENTINEL);
    CHECK(error == STRING_SENTINEL);
    govshare_engine_free(engine);
    engine = ENGINE_SENTINEL;
    s = govshare_engine_new_from_files(NULL, registry_path, &engine, NULL);
    CHECK(s == GOVSHARE_STATUS_OK);
    CHECK(engine != NULL && engine != ENGINE_SENTINEL);

    /* Either way, the same decisions. */
    char *decision = NULL;
    s = govshare_engine_evaluate(engine, demo[0].json.data, demo[0].json.len, &decision, NULL);
    CHECK(s == GOVSHARE_STATUS_OK && decided(decision, &demo[0]));
    govshare_string_free(decision);
    govshare_engine_free(engine);

    free(registry_path);
    free(policies);
}

static void test_evaluate(govshare_engine *engine) {
    for (size_t i = 0; i < DEMO_COUNT; i++) {
        char *decision = STRING_SENTINEL;
        char *error = STRING_SENTINEL;
        govshare_status s =
            govshare_engine_evaluate(engine, demo[i].json.data, demo[i].json.len, &decision, &error);
        CHECK_MSG(s == GOVSHARE_STATUS_OK, "%s: %s", demo[i].file, govshare_status_name(s));
        CHECK(error == STRING_SENTINEL);
        CHECK_MSG(decision != STRING_SENTINEL && decided(decision, &demo[i]), "%s: %s",
                  demo[i].file, decision != STRING_SENTINEL ? decision : "(none)");
        CHECK(strstr(decision, "\"decision_id\":\"") != NULL);
        CHECK(strstr(decision, "\"policy_digest\":\"sha256:") != NULL);
        if (strcmp(demo[i].decision, "allow") == 0) {
            CHECK(strstr(decision, "GS-OBL-RECORD-USE") != NULL);
        }
        /* Through the department's contractor: the duty to supervise it
           (Art. 36) comes with the allow. */
        if (strstr(demo[i].file, "06-processor") != NULL) {
            CHECK_MSG(strstr(decision, "\"obligation\":\"GS-OBL-SUPERVISE-PROCESSOR\"") != NULL,
                      "%s", decision);
        }
        if (decision != STRING_SENTINEL) {
            govshare_string_free(decision);
        }
    }
}

/* A processor no department entrusted is a deny with its rule, never an
   error that a host might mistake, and never an allow (Art. 36). */
static void test_unknown_processor(govshare_engine *engine) {
    static const char request[] =
        "{\"requester\": \"hz-hrss\", \"dataset\": \"ent-reg\", \"action\": \"use\","
        " \"purpose\": \"social-insurance.enrollment-check\", \"items\": [\"uscc\"],"
        " \"at\": \"2026-03-02T10:00:00+08:00\", \"processor\": \"c-unknown\"}";
    char *decision = NULL;
    char *error = NULL;
    govshare_status s = govshare_engine_evaluate(engine, (const uint8_t *)request,
                                                 sizeof request - 1, &decision, &error);
    CHECK_MSG(s == GOVSHARE_STATUS_OK, "%s", error != NULL ? error : "");
    CHECK(error == NULL);
    CHECK_MSG(decision != NULL &&
                  strstr(decision, "{\"decision\":\"deny\"") == decision &&
                  strstr(decision, "\"reasons\":[{\"rule\":\"GS-PROCESSOR-NOT-ENTRUSTED\"") != NULL &&
                  strstr(decision, "\"failed\":[\"not_a_contractor\"]") != NULL,
              "%s", decision != NULL ? decision : "(none)");
    govshare_string_free(decision);
}

static void test_evaluate_batch(govshare_engine *engine) {
    /* All of them, in order. */
    size_t len = 2;
    for (size_t i = 0; i < DEMO_COUNT; i++) {
        len += demo[i].json.len + 1;
    }
    char *batch = malloc(len + 1);
    if (batch == NULL) {
        exit(2);
    }
    size_t at = 0;
    batch[at++] = '[';
    for (size_t i = 0; i < DEMO_COUNT; i++) {
        if (i > 0) {
            batch[at++] = ',';
        }
        memcpy(batch + at, demo[i].json.data, demo[i].json.len);
        at += demo[i].json.len;
    }
    batch[at++] = ']';

    char *decisions = STRING_SENTINEL;
    char *error = STRING_SENTINEL;
    govshare_status s =
        govshare_engine_evaluate_batch(engine, (const uint8_t *)batch, at, &decisions, &error);
    CHECK(s == GOVSHARE_STATUS_OK);
    CHECK(error == STRING_SENTINEL);
    CHECK(decisions != STRING_SENTINEL && decisions[0] == '[');
    CHECK(count(decisions, "\"decision_id\"") == DEMO_COUNT);
    /* In order: each decision's first reason comes after the previous one's. */
    const char *cursor = decisions;
    for (size_t i = 0; i < DEMO_COUNT && cursor != NULL; i++) {
        char rule[96];
        snprintf(rule, sizeof rule, "{\"decision\":\"%s\"", demo[i].decision);
        cursor = strstr(cursor, rule);
        CHECK_MSG(cursor != NULL, "decision %zu is %s", i, demo[i].decision);
        if (cursor != NULL) {
            snprintf(rule, sizeof rule, "\"reasons\":[{\"rule\":\"%s\"", demo[i].rule);
            cursor = strstr(cursor, rule);
            CHECK_MSG(cursor != NULL, "decision %zu names %s", i, demo[i].rule);
        }
    }
    govshare_string_free(decisions);
    free(batch);

    /* An empty batch is an empty array. */
    decisions = NULL;
    s = govshare_engine_evaluate_batch(engine, (const uint8_t *)"[]", 2, &decisions, NULL);
    CHECK(s == GOVSHARE_STATUS_OK && decisions != NULL && strcmp(decisions, "[]") == 0);
    govshare_string_free(decisions);
}

static void test_validate_registry(govshare_engine *engine) {
    char *findings = STRING_SENTINEL;
    char *error = STRING_SENTINEL;
    govshare_status s = govshare_engine_validate_registry(engine, &findings, &error);
    CHECK(s == GOVSHARE_STATUS_OK);
    CHECK(error == STRING_SENTINEL);
    CHECK(findings != STRING_SENTINEL && findings[0] == '[');
    govshare_string_free(findings);

    /* A dataset whose provider is not registered is an error finding. */
    buffer broken = text(
        "{\"departments\": [], \"grants\": [], \"datasets\": ["
        "{\"id\": \"ent-reg\", \"name\": \"企业登记信息\", \"provider\": \"hz-amr\","
        " \"status\": \"published\", \"items\": [{\"name\": \"uscc\", \"grade\": \"general\"}],"
        " \"sharing\": {\"class\": \"unconditional\"}, \"methods\": [\"service_interface\"],"
        " \"format\": \"database\", \"update_frequency\": \"daily\"}]}");
    govshare_engine *other = NULL;
    s = govshare_engine_new(NULL, broken.data, broken.len, &other, NULL);
    CHECK(s == GOVSHARE_STATUS_OK);
    findings = NULL;
    s = govshare_engine_validate_registry(other, &findings, NULL);
    CHECK(s == GOVSHARE_STATUS_OK);
    CHECK_MSG(findings != NULL && strstr(findings, "\"code\":\"CAT-UNKNOWN-PROVIDER\"") != NULL,
              "%s", findings != NULL ? findings : "(none)");
    CHECK(findings != NULL && strstr(findings, "\"severity\":\"error\"") != NULL);
    govshare_string_free(findings);
    govshare_engine_free(other);
    free(broken.data);
}

static void test_null_parameters(govshare_engine *engine) {
    const uint8_t *req = demo[0].json.data;
    size_t req_len = demo[0].json.len;
    char *registry_path = path_of("examples/data/registry.json");
    char *out, *error;
    govshare_engine *engine_out;
    govshare_status s;

#define RESET() (out = STRING_SENTINEL, error = NULL, engine_out = ENGINE_SENTINEL)
#define UNTOUCHED() CHECK(out == STRING_SENTINEL && engine_out == ENGINE_SENTINEL)

    RESET();
    s = govshare_engine_new(NULL, NULL, registry.len, &engine_out, &error);
    EXPECT_ERROR(s, GOVSHARE_STATUS_NULL_PARAMETER, error, "`registry_json` is NULL");
    UNTOUCHED();
    RESET();
    s = govshare_engine_new(NULL, registry.data, registry.len, NULL, &error);
    EXPECT_ERROR(s, GOVSHARE_STATUS_NULL_PARAMETER, error, "`engine_out` is NULL");
    RESET();
    s = govshare_engine_new_from_files(NULL, NULL, &engine_out, &error);
    EXPECT_ERROR(s, GOVSHARE_STATUS_NULL_PARAMETER, error, "`registry_path` is NULL");
    UNTOUCHED();
    RESET();
    s = govshare_engine_new_from_files(NULL, registry_path, NULL, &error);
    EXPECT_ERROR(s, GOVSHARE_STATUS_NULL_PARAMETER, error, "`engine_out` is NULL");
    RESET();
    s = govshare_engine_evaluate(NULL, req, req_len, &out, &error);
    EXPECT_ERROR(s, GOVSHARE_STATUS_NULL_PARAMETER, error, "`engine` is NULL");
    UNTOUCHED();
    RESET();
    s = govshare_engine_evaluate(engine, NULL, req_len, &out, &error);
    EXPECT_ERROR(s, GOVSHARE_STATUS_NULL_PARAMETER, error, "`request_json` is NULL");
    UNTOUCHED();
    RESET();
    s = govshare_engine_evaluate(engine, req, req_len, NULL, &error);
    EXPECT_ERROR(s, GOVSHARE_STATUS_NULL_PARAMETER, error, "`decision_out` is NULL");
    RESET();
    s = govshare_engine_evaluate_batch(NULL, (const uint8_t *)"[]", 2, &out, &error);
    EXPECT_ERROR(s, GOVSHARE_STATUS_NULL_PARAMETER, error, "`engine` is NULL");
    UNTOUCHED();
    RESET();
    s = govshare_engine_evaluate_batch(engine, NULL, 2, &out, &error);
    EXPECT_ERROR(s, GOVSHARE_STATUS_NULL_PARAMETER, error, "`requests_json` is NULL");
    UNTOUCHED();
    RESET();
    s = govshare_engine_evaluate_batch(engine, (const uint8_t *)"[]", 2, NULL, &error);
    EXPECT_ERROR(s, GOVSHARE_STATUS_NULL_PARAMETER, error, "`decisions_out` is NULL");
    RESET();
    s = govshare_engine_validate_registry(NULL, &out, &error);
    EXPECT_ERROR(s, GOVSHARE_STATUS_NULL_PARAMETER, error, "`engine` is NULL");
    UNTOUCHED();
    RESET();
    s = govshare_engine_validate_registry(engine, NULL, &error);
    EXPECT_ERROR(s, GOVSHARE_STATUS_NULL_PARAMETER, error, "`findings_out` is NULL");

    /* error_out itself is optional: the status alone. */
    RESET();
    s = govshare_engine_evaluate(NULL, req, req_len, &out, NULL);
    CHECK(s == GOVSHARE_STATUS_NULL_PARAMETER);
    UNTOUCHED();

    /* Freeing NULL does nothing. */
    govshare_engine_free(NULL);
    govshare_string_free(NULL);
    CHECK(1);

#undef RESET
#undef UNTOUCHED
    free(registry_path);
}

/* Evaluates `request` expecting failure with `want`; checks the output is
 * untouched and the error names `phrase`. */
static void expect_evaluate_error_at(const char *file, int line, govshare_engine *engine,
                                     const buffer *request, govshare_status want,
                                     const char *phrase) {
    char *decision = STRING_SENTINEL;
    char *error = STRING_SENTINEL;
    govshare_status s =
        govshare_engine_evaluate(engine, request->data, request->len, &decision, &error);
    check_at(decision == STRING_SENTINEL, file, line, "decision_out untouched on error", NULL);
    expect_error_at(file, line, s, want, error, phrase);
}
#define EXPECT_EVALUATE_ERROR(engine, request, want, phrase)                                       \
    expect_evaluate_error_at(__FILE__, __LINE__, (engine), (request), (want), (phrase))

static void expect_batch_error_at(const char *file, int line, govshare_engine *engine,
                                  const buffer *batch, govshare_status want, const char *phrase) {
    char *decisions = STRING_SENTINEL;
    char *error = STRING_SENTINEL;
    govshare_status s =
        govshare_engine_evaluate_batch(engine, batch->data, batch->len, &decisions, &error);
    check_at(decisions == STRING_SENTINEL, file, line, "decisions_out untouched on error", NULL);
    expect_error_at(file, line, s, want, error, phrase);
}
#define EXPECT_BATCH_ERROR(engine, batch, want, phrase)                                            \
    expect_batch_error_at(__FILE__, __LINE__, (engine), (batch), (want), (phrase))

static void expect_new_error_at(const char *file, int line, const char *policies_dir,
                                const buffer *registry_json, govshare_status want,
                                const char *phrase) {
    govshare_engine *engine = ENGINE_SENTINEL;
    char *error = STRING_SENTINEL;
    govshare_status s =
        govshare_engine_new(policies_dir, registry_json->data, registry_json->len, &engine, &error);
    check_at(engine == ENGINE_SENTINEL, file, line, "engine_out untouched on error", NULL);
    expect_error_at(file, line, s, want, error, phrase);
}
#define EXPECT_NEW_ERROR(dir, registry_json, want, phrase)                                         \
    expect_new_error_at(__FILE__, __LINE__, (dir), (registry_json), (want), (phrase))

static void expect_files_error_at(const char *file, int line, const char *policies_dir,
                                  const char *registry_path, govshare_status want,
                                  const char *phrase) {
    govshare_engine *engine = ENGINE_SENTINEL;
    char *error = STRING_SENTINEL;
    govshare_status s = govshare_engine_new_from_files(policies_dir, registry_path, &engine, &error);
    check_at(engine == ENGINE_SENTINEL, file, line, "engine_out untouched on error", NULL);
    expect_error_at(file, line, s, want, error, phrase);
}
#define EXPECT_FILES_ERROR(dir, path, want, phrase)                                                \
    expect_files_error_at(__FILE__, __LINE__, (dir), (path), (want), (phrase))

static void test_invalid_utf8(govshare_engine *engine) {
    buffer request = text("{\"requester\": \"hz-hrss\xff\"}");
    EXPECT_EVALUATE_ERROR(engine, &request, GOVSHARE_STATUS_INVALID_UTF8, "not valid UTF-8");
    free(request.data);
    buffer batch = text("[\xc3\x28]");
    EXPECT_BATCH_ERROR(engine, &batch, GOVSHARE_STATUS_INVALID_UTF8, "batch is not valid UTF-8");
    free(batch.data);
    buffer bad_registry = text("{\"departments\": [\xe2\x82], \"datasets\": [], \"grants\": []}");
    EXPECT_NEW_ERROR(NULL, &bad_registry, GOVSHARE_STATUS_INVALID_UTF8,
                     "registry is not valid UTF-8");
    free(bad_registry.data);
    /* Paths are UTF-8 too. */
    EXPECT_NEW_ERROR("policies-\xff", &registry, GOVSHARE_STATUS_INVALID_UTF8,
                     "policies_dir is not valid UTF-8");
    EXPECT_FILES_ERROR(NULL, "registry-\xff.json", GOVSHARE_STATUS_INVALID_UTF8,
                       "registry_path is not valid UTF-8");
}

static void test_invalid_json(govshare_engine *engine) {
    static const char *not_json[] = {"", "{", "{\"requester\": ", "{} {}", "nul", "{'a': 1}"};
    for (size_t i = 0; i < sizeof not_json / sizeof not_json[0]; i++) {
        buffer request = text(not_json[i]);
        EXPECT_EVALUATE_ERROR(engine, &request, GOVSHARE_STATUS_INVALID_JSON, "invalid request");
        free(request.data);
    }
    buffer batch = text("[{}, ");
    EXPECT_BATCH_ERROR(engine, &batch, GOVSHARE_STATUS_INVALID_JSON, "invalid batch");
    free(batch.data);
    buffer bad_registry = text("{\"departments\": ");
    EXPECT_NEW_ERROR(NULL, &bad_registry, GOVSHARE_STATUS_INVALID_JSON, "registry `<memory>`");
    free(bad_registry.data);
}

static void test_invalid_request(govshare_engine *engine) {
    buffer missing_at = text(
        "{\"requester\": \"hz-hrss\", \"dataset\": \"ent-reg\", \"action\": \"use\","
        " \"purpose\": \"social-insurance.enrollment-check\", \"items\": [\"uscc\"]}");
    EXPECT_EVALUATE_ERROR(engine, &missing_at, GOVSHARE_STATUS_INVALID_REQUEST,
                          "missing field `at`");
    buffer no_method = text(
        "{\"requester\": \"hz-hrss\", \"dataset\": \"ent-reg\", \"action\": \"access\","
        " \"purpose\": \"p\", \"items\": [\"uscc\"], \"at\": \"2026-03-02T10:00:00+08:00\"}");
    EXPECT_EVALUATE_ERROR(engine, &no_method, GOVSHARE_STATUS_INVALID_REQUEST,
                          "is required when `action` is `access`");
    buffer unknown_key = text("{\"requestor\": \"hz-hrss\"}");
    EXPECT_EVALUATE_ERROR(engine, &unknown_key, GOVSHARE_STATUS_INVALID_REQUEST,
                          "unknown field `requestor`");
    free(no_method.data);
    free(unknown_key.data);

    /* A batch with a malformed request at index 2: the whole batch is
     * refused, naming the index. */
    const buffer *a = &demo[0].json, *b = &demo[1].json;
    size_t len = a->len + b->len + missing_at.len + a->len + 8;
    buffer batch = {malloc(len), 0};
    if (batch.data == NULL) {
        exit(2);
    }
    batch.len = (size_t)snprintf((char *)batch.data, len, "[%s,%s,%s,%s]", (const char *)a->data,
                                 (const char *)b->data, (const char *)missing_at.data,
                                 (const char *)a->data);
    char *decisions = STRING_SENTINEL;
    char *error = NULL;
    govshare_status s =
        govshare_engine_evaluate_batch(engine, batch.data, batch.len, &decisions, &error);
    CHECK(decisions == STRING_SENTINEL);
    CHECK(error != NULL && strstr(error, "\"index\":2") != NULL);
    EXPECT_ERROR(s, GOVSHARE_STATUS_INVALID_REQUEST, error, "request at index 2 of the batch");
    free(batch.data);
    free(missing_at.data);

    buffer not_array = text("{\"requests\": []}");
    EXPECT_BATCH_ERROR(engine, &not_array, GOVSHARE_STATUS_INVALID_REQUEST,
                       "expected a JSON array of usage requests");
    free(not_array.data);
}

static void test_load_failed(void) {
    buffer unknown_key = text("{\"departments\": [], \"datasets\": [], \"grants\": [], \"x\": 1}");
    EXPECT_NEW_ERROR(NULL, &unknown_key, GOVSHARE_STATUS_LOAD_FAILED, "unknown field `x`");
    free(unknown_key.data);
    buffer duplicate = text(
        "{\"departments\": [{\"id\": \"a\", \"name\": \"A\", \"level\": \"municipal\"},"
        " {\"id\": \"a\", \"name\": \"A\", \"level\": \"municipal\"}],"
        " \"datasets\": [], \"grants\": []}");
    EXPECT_NEW_ERROR(NULL, &duplicate, GOVSHARE_STATUS_LOAD_FAILED, "duplicate department id");
    free(duplicate.data);

    char *bad_policies = path_of("tests/c/fixtures/bad-policies");
    EXPECT_NEW_ERROR(bad_policies, &registry, GOVSHARE_STATUS_LOAD_FAILED, NULL);
    char *registry_path = path_of("examples/data/registry.json");
    EXPECT_FILES_ERROR(bad_policies, registry_path, GOVSHARE_STATUS_LOAD_FAILED, NULL);
    free(registry_path);
    free(bad_policies);
}

static void test_io(void) {
    char *missing_file = path_of("tests/c/fixtures/no-such-registry.json");
    EXPECT_FILES_ERROR(NULL, missing_file, GOVSHARE_STATUS_IO, "no-such-registry.json");
    free(missing_file);
    char *missing_dir = path_of("tests/c/fixtures/no-such-policies");
    EXPECT_NEW_ERROR(missing_dir, &registry, GOVSHARE_STATUS_IO, "no-such-policies");
    free(missing_dir);
}

/* An engine built with options; returns the status and leaves
 * `*engine_out` and `*error` as the call left them. */
static govshare_status new_with_options(const buffer *options, govshare_engine **engine_out,
                                        char **error) {
    return govshare_engine_new_with_options(NULL, registry.data, registry.len,
                                            options != NULL ? options->data : NULL,
                                            options != NULL ? options->len : 0, engine_out, error);
}

/* A request under the demo's first grant, at the current system time. */
static buffer request_now(void) {
    char now[32];
    time_t t = time(NULL);
    const struct tm *utc = gmtime(&t);
    if (utc == NULL || strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%SZ", utc) == 0) {
        exit(2);
    }
    char json[512];
    snprintf(json, sizeof json,
             "{\"requester\": \"hz-hrss\", \"dataset\": \"ent-reg\", \"action\": \"use\","
             " \"purpose\": \"social-insurance.enrollment-check\", \"items\": [\"uscc\"],"
             " \"at\": \"%s\"}",
             now);
    return text(json);
}

static void test_clock_guard(void) {
    /* Replay: `{}` judges any time, as govshare_engine_new does. */
    buffer replay = text("{}");
    govshare_engine *engine = ENGINE_SENTINEL;
    char *error = STRING_SENTINEL;
    govshare_status s = new_with_options(&replay, &engine, &error);
    CHECK(s == GOVSHARE_STATUS_OK && engine != ENGINE_SENTINEL && error == STRING_SENTINEL);
    char *decision = NULL;
    s = govshare_engine_evaluate(engine, demo[0].json.data, demo[0].json.len, &decision, NULL);
    CHECK(s == GOVSHARE_STATUS_OK && decided(decision, &demo[0]));
    govshare_string_free(decision);
    govshare_engine_free(engine);
    free(replay.data);

    /* Live: the demo's request of 2 March 2026 lies far from the clock. */
    buffer live = text("{\"max_clock_skew_seconds\": 300}");
    engine = ENGINE_SENTINEL;
    s = new_with_options(&live, &engine, NULL);
    CHECK(s == GOVSHARE_STATUS_OK && engine != ENGINE_SENTINEL);
    decision = NULL;
    s = govshare_engine_evaluate(engine, demo[0].json.data, demo[0].json.len, &decision, NULL);
    CHECK(s == GOVSHARE_STATUS_OK);
    CHECK_MSG(decision != NULL && strncmp(decision, "{\"decision\":\"deny\"", strlen("{\"decision\":\"deny\"")) == 0 &&
                  strstr(decision, "\"rule\":\"GS-CLOCK-SKEW\"") != NULL &&
                  strstr(decision, "\"engine_time\":") != NULL &&
                  strstr(decision, "\"at\":\"2026-03-02T10:00:00+08:00\"") != NULL,
              "%s", decision != NULL ? decision : "(none)");
    govshare_string_free(decision);
    /* A request at the present time is judged on its merits. */
    buffer now = request_now();
    decision = NULL;
    s = govshare_engine_evaluate(engine, now.data, now.len, &decision, NULL);
    CHECK(s == GOVSHARE_STATUS_OK);
    CHECK_MSG(decision != NULL && strstr(decision, "GS-CLOCK-SKEW") == NULL, "%s",
              decision != NULL ? decision : "(none)");
    govshare_string_free(decision);
    free(now.data);
    govshare_engine_free(engine);
    free(live.data);

    /* Bad options build nothing. */
    struct {
        const char *options;
        govshare_status want;
        const char *phrase;
    } bad[] = {
        {"{\"max_skew\": 300}", GOVSHARE_STATUS_LOAD_FAILED, "unknown field `max_skew`"},
        {"{\"max_clock_skew_seconds\": -1}", GOVSHARE_STATUS_LOAD_FAILED, "engine options"},
        {"{\"max_clock_skew_seconds\": ", GOVSHARE_STATUS_INVALID_JSON, "engine options"},
        {"{\"max_clock_skew_seconds\": \"5\xff\"}", GOVSHARE_STATUS_INVALID_UTF8,
         "options is not valid UTF-8"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        buffer options = text(bad[i].options);
        engine = ENGINE_SENTINEL;
        error = STRING_SENTINEL;
        s = new_with_options(&options, &engine, &error);
        CHECK_MSG(engine == ENGINE_SENTINEL, "options %zu: engine_out untouched on error", i);
        expect_error_at(__FILE__, __LINE__, s, bad[i].want, error, bad[i].phrase);
        free(options.data);
    }
    engine = ENGINE_SENTINEL;
    error = STRING_SENTINEL;
    s = new_with_options(NULL, &engine, &error);
    CHECK(engine == ENGINE_SENTINEL);
    expect_error_at(__FILE__, __LINE__, s, GOVSHARE_STATUS_NULL_PARAMETER, error, "options_json");
    buffer ok = text("{}");
    error = STRING_SENTINEL;
    s = govshare_engine_new_with_options(NULL, registry.data, registry.len, ok.data, ok.len, NULL,
                                         &error);
    expect_error_at(__FILE__, __LINE__, s, GOVSHARE_STATUS_NULL_PARAMETER, error, "engine_out");
    free(ok.data);
}

/* `depth` opening brackets then `depth` closing ones, inside `prefix` and
 * `suffix`. */
static buffer nested(const char *prefix, size_t depth, const char *suffix) {
    size_t p = strlen(prefix), s = strlen(suffix);
    buffer b = {malloc(p + 2 * depth + s + 1), p + 2 * depth + s};
    if (b.data == NULL) {
        exit(2);
    }
    memcpy(b.data, prefix, p);
    memset(b.data + p, '[', depth);
    memset(b.data + p + depth, ']', depth);
    memcpy(b.data + p + 2 * depth, suffix, s + 1);
    return b;
}

static void test_limits(govshare_engine *engine) {
    /* A well-formed request padded one byte over the limit. */
    buffer big = {malloc(GOVSHARE_MAX_REQUEST_BYTES + 1), GOVSHARE_MAX_REQUEST_BYTES + 1};
    if (big.data == NULL) {
        exit(2);
    }
    memset(big.data, ' ', big.len);
    memcpy(big.data, demo[0].json.data, demo[0].json.len);
    EXPECT_EVALUATE_ERROR(engine, &big, GOVSHARE_STATUS_LIMIT_EXCEEDED, "request size in bytes");
    /* At the limit exactly, it is decided. */
    char *decision = NULL;
    govshare_status s =
        govshare_engine_evaluate(engine, big.data, GOVSHARE_MAX_REQUEST_BYTES, &decision, NULL);
    CHECK(s == GOVSHARE_STATUS_OK && decided(decision, &demo[0]));
    govshare_string_free(decision);
    free(big.data);

    /* Deep nesting: a request, a batch, a registry. */
    buffer deep = nested("", GOVSHARE_MAX_JSON_DEPTH + 1, "");
    EXPECT_EVALUATE_ERROR(engine, &deep, GOVSHARE_STATUS_LIMIT_EXCEEDED, "JSON nesting depth");
    free(deep.data);
    deep = nested("", 10000, "");
    EXPECT_EVALUATE_ERROR(engine, &deep, GOVSHARE_STATUS_LIMIT_EXCEEDED, "JSON nesting depth");
    free(deep.data);
    deep = nested("", 100000, "");
    EXPECT_BATCH_ERROR(engine, &deep, GOVSHARE_STATUS_LIMIT_EXCEEDED, "JSON nesting depth");
    free(deep.data);
    deep = nested("{\"departments\": ", GOVSHARE_MAX_JSON_DEPTH + 5,
                  ", \"datasets\": [], \"grants\": []}");
    EXPECT_NEW_ERROR(NULL, &deep, GOVSHARE_STATUS_LIMIT_EXCEEDED, "JSON nesting depth");
    free(deep.data);

    /* Too many items in one request. */
    size_t cap = 256 + 8 * (GOVSHARE_MAX_REQUEST_ITEMS + 1);
    char *many = malloc(cap);
    if (many == NULL) {
        exit(2);
    }
    size_t at = (size_t)snprintf(many, cap,
                                 "{\"requester\": \"hz-hrss\", \"dataset\": \"ent-reg\", "
                                 "\"action\": \"use\", \"purpose\": \"p\", "
                                 "\"at\": \"2026-03-02T10:00:00+08:00\", \"items\": [");
    for (size_t i = 0; i <= GOVSHARE_MAX_REQUEST_ITEMS; i++) {
        at += (size_t)snprintf(many + at, cap - at, "%s\"i%zu\"", i > 0 ? "," : "", i);
    }
    at += (size_t)snprintf(many + at, cap - at, "]}");
    buffer items = {(uint8_t *)many, at};
    EXPECT_EVALUATE_ERROR(engine, &items, GOVSHARE_STATUS_LIMIT_EXCEEDED, "number of items");
    free(many);

    /* Too many requests in one batch. */
    size_t n = GOVSHARE_MAX_BATCH_REQUESTS + 1;
    buffer batch = {malloc(3 * n + 2), 0};
    if (batch.data == NULL) {
        exit(2);
    }
    batch.data[batch.len++] = '[';
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            batch.data[batch.len++] = ',';
        }
        batch.data[batch.len++] = '{';
        batch.data[batch.len++] = '}';
    }
    batch.data[batch.len++] = ']';
    EXPECT_BATCH_ERROR(engine, &batch, GOVSHARE_STATUS_LIMIT_EXCEEDED,
                       "number of requests in the batch");
    free(batch.data);
}

/* ---------------------------------------------------------------- threads */

#define THREADS 8

typedef struct {
    const govshare_engine *engine;
    int id;
    long iterations;
    long ok, bad;
} worker;

static void *work(void *arg) {
    worker *w = arg;
    for (long i = 0; i < w->iterations; i++) {
        const demo_request *r = &demo[(size_t)(w->id + i) % DEMO_COUNT];
        char *decision = NULL;
        char *error = NULL;
        govshare_status s =
            govshare_engine_evaluate(w->engine, r->json.data, r->json.len, &decision, &error);
        if (s == GOVSHARE_STATUS_OK && error == NULL && decided(decision, r)) {
            w->ok++;
        } else {
            w->bad++;
            fprintf(stderr, "thread %d, iteration %ld, %s: status %s, %s\n", w->id, i, r->file,
                    govshare_status_name(s), decision != NULL ? decision : error);
        }
        govshare_string_free(decision);
        govshare_string_free(error);
        /* Now and then a malformed request, which must fail the same way
         * on every thread. */
        if (i % 16 == 0) {
            static const uint8_t broken[] = "{\"requester\": 42}";
            decision = STRING_SENTINEL;
            s = govshare_engine_evaluate(w->engine, broken, sizeof broken - 1, &decision, &error);
            if (s == GOVSHARE_STATUS_INVALID_REQUEST && decision == STRING_SENTINEL &&
                error != NULL && strstr(error, "\"code\":4") != NULL) {
                w->ok++;
            } else {
                w->bad++;
                fprintf(stderr, "thread %d: malformed request got %s\n", w->id,
                        govshare_status_name(s));
            }
            govshare_string_free(error);
            error = NULL;
        }
    }
    return NULL;
}

static void test_threads(govshare_engine *engine) {
    long iterations = 200;
    const char *env = getenv("GOVSHARE_TEST_ITERATIONS");
    if (env != NULL && atol(env) > 0) {
        iterations = atol(env);
    }
    pthread_t threads[THREADS];
    worker workers[THREADS];
    for (int t = 0; t < THREADS; t++) {
        workers[t] = (worker){engine, t, iterations, 0, 0};
        CHECK(pthread_create(&threads[t], NULL, work, &workers[t]) == 0);
    }
    long ok = 0, bad = 0;
    for (int t = 0; t < THREADS; t++) {
        CHECK(pthread_join(threads[t], NULL) == 0);
        ok += workers[t].ok;
        bad += workers[t].bad;
    }
    long expected = THREADS * (iterations + (iterations + 15) / 16);
    CHECK_MSG(bad == 0, "%ld wrong answers", bad);
    CHECK_MSG(ok == expected, "%ld right answers of %ld", ok, expected);
    printf("threads: %d threads x %ld evaluations, %ld answers checked\n", THREADS, iterations,
           ok + bad);
}

/* ------------------------------------------------ small stacks, deep text */

/* A thread stack as small as a C host may give: every call must still
 * answer, and answer right. */
#define SMALL_STACK (64 * 1024)

/* `unit` repeated `n` times. */
static char *repeat(const char *unit, size_t n) {
    size_t u = strlen(unit);
    char *out = malloc(u * n + 1);
    if (out == NULL) {
        exit(2);
    }
    for (size_t i = 0; i < n; i++) {
        memcpy(out + i * u, unit, u);
    }
    out[u * n] = '\0';
    return out;
}

static void write_text(const char *path, const char *content) {
    FILE *f = fopen(path, "wb");
    if (f == NULL || fputs(content, f) == EOF || fclose(f) != 0) {
        perror(path);
        exit(2);
    }
}

/* A policies folder (`<dir>/govshare.cedarschema`, `<dir>/statutory/`) in a
 * fresh temporary directory, with the repository's schema. */
typedef struct {
    char dir[64];
    char files[32][512];
    size_t count;
} scratch_policies;

static void scratch_open(scratch_policies *p) {
    snprintf(p->dir, sizeof p->dir, "/tmp/govshare-c-XXXXXX");
    p->count = 0;
    if (mkdtemp(p->dir) == NULL) {
        perror("mkdtemp");
        exit(2);
    }
    char statutory[128];
    snprintf(statutory, sizeof statutory, "%s/statutory", p->dir);
    if (mkdir(statutory, 0700) != 0) {
        perror(statutory);
        exit(2);
    }
    buffer schema = read_file("policies/govshare.cedarschema");
    snprintf(p->files[p->count], sizeof p->files[0], "%s/govshare.cedarschema", p->dir);
    write_text(p->files[p->count++], (const char *)schema.data);
    free(schema.data);
}

/* Writes `statutory/<name>` of the scratch folder. */
static void scratch_statutory(scratch_policies *p, const char *name, const char *content) {
    if (p->count == sizeof p->files / sizeof p->files[0]) {
        exit(2);
    }
    snprintf(p->files[p->count], sizeof p->files[0], "%s/statutory/%s", p->dir, name);
    write_text(p->files[p->count++], content);
}

static void scratch_close(scratch_policies *p) {
    for (size_t i = 0; i < p->count; i++) {
        CHECK(remove(p->files[i]) == 0);
    }
    char statutory[128];
    snprintf(statutory, sizeof statutory, "%s/statutory", p->dir);
    CHECK(rmdir(statutory) == 0);
    CHECK(rmdir(p->dir) == 0);
}

/* A forbid whose condition is `open` x depth, `inner`, `close` x depth. */
static char *deep_policy(const char *id, const char *open, const char *inner, const char *close,
                         size_t depth) {
    char *opens = repeat(open, depth), *closes = repeat(close, depth);
    size_t n = strlen(opens) + strlen(closes) + strlen(inner) + 512;
    char *text = malloc(n);
    if (text == NULL) {
        exit(2);
    }
    snprintf(text, n,
             "@id(\"%s\") @articles(\"27\") @zh(\"共享授权已暂停\") @en(\"the grant is suspended\")\n"
             "forbid (principal, action, resource)\n"
             "when { %s%s%s };\n",
             id, opens, inner, closes);
    free(opens);
    free(closes);
    return text;
}

typedef struct {
    const char *policies_dir;
    govshare_engine *engine; /* evaluated against when not NULL */
    govshare_status status;  /* of govshare_engine_new */
    char *error;
    long right, wrong;
} small_stack_job;

/* On the small stack: build an engine from `policies_dir` (when set), and
 * decide every demo request against it (or against `engine`). */
static void *small_stack_work(void *arg) {
    small_stack_job *job = arg;
    govshare_engine *built = NULL;
    if (job->policies_dir != NULL) {
        job->status = govshare_engine_new(job->policies_dir, registry.data, registry.len, &built,
                                          &job->error);
    }
    govshare_engine *engine = job->engine != NULL ? job->engine : built;
    for (size_t i = 0; engine != NULL && i < DEMO_COUNT; i++) {
        char *decision = NULL;
        govshare_status s = govshare_engine_evaluate(engine, demo[i].json.data,
                                                     demo[i].json.len, &decision, NULL);
        if (s == GOVSHARE_STATUS_OK && decided(decision, &demo[i])) {
            job->right++;
        } else {
            job->wrong++;
            fprintf(stderr, "64 KiB stack, %s: %s\n", demo[i].file,
                    decision != NULL ? decision : govshare_status_name(s));
        }
        govshare_string_free(decision);
    }
    /* A request nested to the JSON limit is refused, not a crash. */
    buffer deep = nested("", GOVSHARE_MAX_JSON_DEPTH + 1, "");
    char *error = NULL;
    if (engine != NULL && govshare_engine_evaluate(engine, deep.data, deep.len, &(char *){NULL},
                                                   &error) == GOVSHARE_STATUS_LIMIT_EXCEEDED) {
        job->right++;
    } else if (engine != NULL) {
        job->wrong++;
    }
    govshare_string_free(error);
    free(deep.data);
    govshare_engine_free(built);
    return NULL;
}

static void run_on_small_stack(small_stack_job *job) {
    pthread_attr_t attr;
    pthread_t thread;
    CHECK(pthread_attr_init(&attr) == 0);
    CHECK(pthread_attr_setstacksize(&attr, SMALL_STACK) == 0);
    CHECK(pthread_create(&thread, &attr, small_stack_work, job) == 0);
    CHECK(pthread_join(thread, NULL) == 0);
    pthread_attr_destroy(&attr);
}

/* A FIFO given as the registry file or as a policy file used to block the
 * host forever (opening a FIFO for reading waits for a writer); it is
 * refused at once, as a directory or a device is. */
static void test_not_regular_files(void) {
    scratch_policies p;
    scratch_open(&p);
    char fifo[128];
    snprintf(fifo, sizeof fifo, "%s/statutory/00-permit.cedar", p.dir);
    CHECK(mkfifo(fifo, 0600) == 0);
    snprintf(p.files[p.count++], sizeof p.files[0], "%s", fifo);
    EXPECT_NEW_ERROR(p.dir, &registry, GOVSHARE_STATUS_IO, "a FIFO (named pipe), not a regular file");
    EXPECT_FILES_ERROR(NULL, fifo, GOVSHARE_STATUS_IO, "a FIFO (named pipe), not a regular file");
    EXPECT_FILES_ERROR(NULL, "/dev/zero", GOVSHARE_STATUS_IO, "a character device");
    EXPECT_FILES_ERROR(NULL, p.dir, GOVSHARE_STATUS_IO, "a directory");
    scratch_close(&p);
}

static void test_small_stacks(govshare_engine *engine) {
    /* The embedded policies: every demo request decided right. */
    small_stack_job shared = {NULL, engine, GOVSHARE_STATUS_OK, NULL, 0, 0};
    run_on_small_stack(&shared);
    CHECK_MSG(shared.wrong == 0 && shared.right == (long)DEMO_COUNT + 1, "%ld right, %ld wrong",
              shared.right, shared.wrong);

    /* 1,000 nested parentheses, 1,000 nested sets, 5,000 nested `if`: each
     * overflowed Cedar's parser and killed the host with SIGSEGV. */
    struct {
        const char *open, *inner, *close;
        size_t depth;
    } shapes[] = {
        {"(", "true", ")", 1000},
        {"[", "1", "]", 1000},
        {"if ", "true", " then true else false", 5000},
    };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        scratch_policies p;
        scratch_open(&p);
        char *text = deep_policy("GS-GRANT-SUSPENDED", shapes[i].open, shapes[i].inner,
                                 shapes[i].close, shapes[i].depth);
        scratch_statutory(&p, "13-grant-suspended.cedar", text);
        free(text);
        small_stack_job job = {p.dir, NULL, GOVSHARE_STATUS_OK, NULL, 0, 0};
        run_on_small_stack(&job);
        EXPECT_ERROR(job.status, GOVSHARE_STATUS_LIMIT_EXCEEDED, job.error,
                     "line 3: nested 65 levels deep, over the limit of 64 (`MAX_POLICY_NESTING`)");
        scratch_close(&p);
    }

    /* The statutory set with GS-GRANT-SUSPENDED rewritten as deep as the
     * limit admits: 56 nested `if` around a condition of 5 operators in
     * parentheses (1 + 5 levels), in `when { }` (1 level), in the file
     * (1 level) make 64. One more is refused. */
    for (size_t depth = 56; depth <= 57; depth++) {
        scratch_policies p;
        scratch_open(&p);
        DIR *dir;
        char *statutory = path_of("policies/statutory");
        dir = opendir(statutory);
        if (dir == NULL) {
            perror(statutory);
            exit(2);
        }
        struct dirent *entry;
        while ((entry = readdir(dir)) != NULL) {
            size_t n = strlen(entry->d_name);
            if (n < 6 || strcmp(entry->d_name + n - 6, ".cedar") != 0 ||
                strcmp(entry->d_name, "13-grant-suspended.cedar") == 0) {
                continue;
            }
            char relative[512];
            snprintf(relative, sizeof relative, "policies/statutory/%s", entry->d_name);
            buffer b = read_file(relative);
            scratch_statutory(&p, entry->d_name, (const char *)b.data);
            free(b.data);
        }
        closedir(dir);
        free(statutory);
        char *text = deep_policy(
            "GS-GRANT-SUSPENDED", "if ",
            "(context has grant && context.grant.status == \"suspended\")",
            " then true else false", depth);
        scratch_statutory(&p, "13-grant-suspended.cedar", text);
        free(text);
        small_stack_job job = {p.dir, NULL, GOVSHARE_STATUS_OK, NULL, 0, 0};
        run_on_small_stack(&job);
        if (depth == 56) {
            CHECK_MSG(job.status == GOVSHARE_STATUS_OK, "%s", job.error != NULL ? job.error : "");
            CHECK_MSG(job.wrong == 0 && job.right == (long)DEMO_COUNT + 1,
                      "deepest admitted: %ld right, %ld wrong", job.right, job.wrong);
        } else {
            EXPECT_ERROR(job.status, GOVSHARE_STATUS_LIMIT_EXCEEDED, job.error,
                         "nested 65 levels deep");
            job.error = NULL;
        }
        govshare_string_free(job.error);
        scratch_close(&p);
    }
    printf("small stacks: %d KiB threads build, refuse and decide\n", SMALL_STACK / 1024);
}

/* ------------------------------------------------------------------- main */

int main(int argc, char **argv) {
    if (argc > 1) {
        root = argv[1];
    }
    registry = read_file("examples/data/registry.json");
    for (size_t i = 0; i < DEMO_COUNT; i++) {
        demo[i].json = read_file(demo[i].file);
    }
    printf("govshare %s: C ABI tests\n", govshare_version());

    test_static_strings();
    test_engines_build_three_ways();
    govshare_engine *engine = new_engine();
    if (engine == NULL) {
        fprintf(stderr, "no engine; stopping\n");
        return 1;
    }
    test_evaluate(engine);
    test_unknown_processor(engine);
    test_evaluate_batch(engine);
    test_validate_registry(engine);
    test_null_parameters(engine);
    test_invalid_utf8(engine);
    test_invalid_json(engine);
    test_invalid_request(engine);
    test_load_failed();
    test_io();
    test_clock_guard();
    test_limits(engine);
    test_threads(engine);
    test_small_stacks(engine);
    test_not_regular_files();
    govshare_engine_free(engine);

    for (size_t i = 0; i < DEMO_COUNT; i++) {
        free(demo[i].json.data);
    }
    free(registry.data);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
