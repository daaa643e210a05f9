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

// curl.h's CURLMsg: what curl_multi_info_read returns; CURLMSG_DONE is 1.
struct curl_message {
    int message;
    void *easy_handle;
    union {
        void *whatever;
        int result;
    } data;
};
enum { curl_message_done = 1, curle_failed_init = 2 };

static struct {
    int (*global_init)(long flags);
    void *(*easy_init)(void);
    void (*easy_cleanup)(void *);
    void (*easy_reset)(void *);
    int (*easy_setopt)(void *, int, ...);
    int (*easy_getinfo)(void *, int, ...);
    const char *(*easy_strerror)(int);
    void *(*slist_append)(void *, const char *);
    void (*slist_free_all)(void *);
    void *(*multi_init)(void);
    int (*multi_cleanup)(void *);
    int (*multi_add_handle)(void *, void *);
    int (*multi_remove_handle)(void *, void *);
    int (*multi_perform)(void *, int *);
    int (*multi_poll)(void *, void *, unsigned int, int, int *);
    struct curl_message *(*multi_info_read)(void *, int *);
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
    curl.easy_setopt = resolve(library, "curl_easy_setopt");
    curl.easy_getinfo = resolve(library, "curl_easy_getinfo");
    curl.easy_strerror = resolve(library, "curl_easy_strerror");
    curl.slist_append = resolve(library, "curl_slist_append");
    curl.slist_free_all = resolve(library, "curl_slist_free_all");
    curl.multi_init = resolve(library, "curl_multi_init");
    curl.multi_cleanup = resolve(library, "curl_multi_cleanup");
    curl.multi_add_handle = resolve(library, "curl_multi_add_handle");
    curl.multi_remove_handle = resolve(library, "curl_multi_remove_handle");
    curl.multi_perform = resolve(library, "curl_multi_perform");
    // libcurl 7.66 and later (2019).
    curl.multi_poll = resolve(library, "curl_multi_poll");
    curl.multi_info_read = resolve(library, "curl_multi_info_read");
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

int arttui_curl_setopt_long(void *handle, int option, long value) {
    return curl.easy_setopt(handle, option, value);
}

int arttui_curl_setopt_pointer(void *handle, int option, const void *value) {
    return curl.easy_setopt(handle, option, value);
}

int arttui_curl_setopt_callback(void *handle, int option, arttui_curl_data_callback callback) {
    return curl.easy_setopt(handle, option, callback);
}

int arttui_curl_setopt_xferinfo(void *handle, int option, arttui_curl_xferinfo_callback callback) {
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

void *arttui_curl_multi_init(void) { return curl.multi_init(); }
void arttui_curl_multi_cleanup(void *multi) { curl.multi_cleanup(multi); }

int arttui_curl_multi_transfer(void *multi, void *handle, int wake_ms) {
    if (curl.multi_add_handle(multi, handle) != 0) return curle_failed_init;
    int running = 1;
    int failed = 0;
    while (running) {
        if (curl.multi_perform(multi, &running) != 0) {
            failed = 1;
            break;
        }
        if (running && curl.multi_poll(multi, NULL, 0, wake_ms, NULL) != 0) {
            failed = 1;
            break;
        }
    }
    int result = curle_failed_init;
    struct curl_message *message;
    int left = 0;
    while ((message = curl.multi_info_read(multi, &left))) {
        if (message->message == curl_message_done && message->easy_handle == handle) result = message->data.result;
    }
    curl.multi_remove_handle(multi, handle);
    return failed && result == curle_failed_init ? curle_failed_init : result;
}
