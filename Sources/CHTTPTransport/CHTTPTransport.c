// libcurl's easy API, for HTTPTransport, without libcurl's development package: the functions are
// declared here with the signatures of curl.h and resolved with dlsym from libcurl.so.4, which every
// machine with Foundation's networking has. curl's ABI (soname 4) and option numbers do not change
// within a major version. Variadic curl_easy_setopt and curl_easy_getinfo get one fixed-type entry
// point per argument type, since Swift cannot call C variadic functions.
#define _GNU_SOURCE
#include "CHTTPTransport.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

// CURL_GLOBAL_ALL (curl.h): SSL and, on Windows, Winsock.
enum { curl_global_all = 3 };

static struct {
    int (*global_init)(long flags);
    void *(*easy_init)(void);
    void (*easy_cleanup)(void *);
    void (*easy_reset)(void *);
    int (*easy_perform)(void *);
    int (*easy_setopt)(void *, int, ...);
    int (*easy_getinfo)(void *, int, ...);
    const char *(*easy_strerror)(int);
    void *(*slist_append)(void *, const char *);
    void (*slist_free_all)(void *);
} curl;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static char load_failure[512];

static void *resolve(void *library, const char *name) {
    void *symbol = dlsym(library, name);
    if (!symbol && !load_failure[0]) snprintf(load_failure, sizeof load_failure, "libcurl has no %s", name);
    return symbol;
}

static void load(void) {
    // The library already in the process if there is one (Foundation's networking links it), else
    // the run-time library of the system; never a development link name first.
    const char *names[] = {"libcurl.so.4", "libcurl.so"};
    void *library = NULL;
    for (size_t index = 0; index < sizeof names / sizeof names[0] && !library; index++) {
        library = dlopen(names[index], RTLD_NOW | RTLD_LOCAL);
    }
    if (!library) {
        const char *why = dlerror();
        snprintf(load_failure, sizeof load_failure, "cannot load libcurl.so.4 (install libcurl4): %s",
                 why ? why : "not found");
        return;
    }
    curl.global_init = resolve(library, "curl_global_init");
    curl.easy_init = resolve(library, "curl_easy_init");
    curl.easy_cleanup = resolve(library, "curl_easy_cleanup");
    curl.easy_reset = resolve(library, "curl_easy_reset");
    curl.easy_perform = resolve(library, "curl_easy_perform");
    curl.easy_setopt = resolve(library, "curl_easy_setopt");
    curl.easy_getinfo = resolve(library, "curl_easy_getinfo");
    curl.easy_strerror = resolve(library, "curl_easy_strerror");
    curl.slist_append = resolve(library, "curl_slist_append");
    curl.slist_free_all = resolve(library, "curl_slist_free_all");
    if (load_failure[0]) return;
    int status = curl.global_init(curl_global_all);
    if (status != 0) snprintf(load_failure, sizeof load_failure, "curl_global_init failed (%d)", status);
}

int arttui_curl_load(char *reason, size_t reason_length) {
    pthread_once(&load_once, load);
    if (!load_failure[0]) return 0;
    if (reason && reason_length) snprintf(reason, reason_length, "%s", load_failure);
    return -1;
}

void *arttui_curl_easy_init(void) { return curl.easy_init(); }
void arttui_curl_easy_cleanup(void *handle) { curl.easy_cleanup(handle); }
void arttui_curl_easy_reset(void *handle) { curl.easy_reset(handle); }
int arttui_curl_easy_perform(void *handle) { return curl.easy_perform(handle); }

int arttui_curl_setopt_long(void *handle, int option, long value) {
    return curl.easy_setopt(handle, option, value);
}

int arttui_curl_setopt_pointer(void *handle, int option, const void *value) {
    return curl.easy_setopt(handle, option, value);
}

int arttui_curl_setopt_callback(void *handle, int option, arttui_curl_data_callback callback) {
    return curl.easy_setopt(handle, option, callback);
}

int arttui_curl_setopt_offset(void *handle, int option, int64_t value) {
    // curl_off_t is a 64-bit signed integer on every platform curl supports.
    return curl.easy_setopt(handle, option, (long long)value);
}

int arttui_curl_getinfo_long(void *handle, int info, long *value) {
    return curl.easy_getinfo(handle, info, value);
}

int arttui_curl_getinfo_offset(void *handle, int info, int64_t *value) {
    long long result = 0;
    int status = curl.easy_getinfo(handle, info, &result);
    *value = (int64_t)result;
    return status;
}

const char *arttui_curl_strerror(int code) { return curl.easy_strerror(code); }
void *arttui_curl_slist_append(void *list, const char *line) { return curl.slist_append(list, line); }
void arttui_curl_slist_free_all(void *list) { curl.slist_free_all(list); }
