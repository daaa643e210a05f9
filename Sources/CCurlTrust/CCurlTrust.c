// Foundation's URLSession on Linux drives libcurl but offers no way to name a CA file: its only hook,
// the URLSessionCertificateAuthorityInfoFile variable, is read on Android alone, and libcurl itself
// ignores SSL_CERT_FILE and CURL_CA_BUNDLE. So the `arttui` executable exports its own
// curl_easy_setopt (see Package.swift's --export-dynamic-symbol); FoundationNetworking's calls bind
// to it, and it forwards every option to libcurl's, adding the CA file to each transfer.
#define _GNU_SOURCE
#include "CCurlTrust.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

// libcurl's option numbers (curl.h): the base says what type the one argument has.
enum {
    option_object_base = 10000,
    option_function_base = 20000,
    option_offset_base = 30000,
    option_blob_base = 40000,
    option_url = 10002,
    option_ca_info = 10065,
    option_ssl_verify_peer = 64,
    option_ssl_verify_host = 81,
};

typedef int (*setopt_function)(void *, int, ...);

static char *trusted_ca_file = NULL;
static int verification_off = 0;

void arttui_curl_trust(const char *ca_file, int insecure) {
    free(trusted_ca_file);
    trusted_ca_file = ca_file ? strdup(ca_file) : NULL;
    verification_off = insecure;
}

static setopt_function libcurl_setopt(void) {
    static setopt_function real = NULL;
    if (!real) real = (setopt_function)dlsym(RTLD_NEXT, "curl_easy_setopt");
    return real;
}

int curl_easy_setopt(void *handle, int option, ...) {
    setopt_function real = libcurl_setopt();
    if (!real) return 2; // CURLE_FAILED_INIT
    va_list arguments;
    va_start(arguments, option);
    int result;
    if (option >= option_offset_base && option < option_blob_base) {
        long long value = va_arg(arguments, long long);
        result = real(handle, option, value);
    } else if (option >= option_object_base) {
        void *value = va_arg(arguments, void *);
        if (option == option_ca_info && trusted_ca_file) value = trusted_ca_file;
        result = real(handle, option, value);
        // Foundation sets the URL of every transfer; that is the moment to name the CA file.
        if (option == option_url && trusted_ca_file) real(handle, option_ca_info, trusted_ca_file);
        if (option == option_url && verification_off) {
            real(handle, option_ssl_verify_peer, 0L);
            real(handle, option_ssl_verify_host, 0L);
        }
    } else {
        long value = va_arg(arguments, long);
        if (verification_off && (option == option_ssl_verify_peer || option == option_ssl_verify_host)) value = 0;
        result = real(handle, option, value);
    }
    va_end(arguments);
    return result;
}
