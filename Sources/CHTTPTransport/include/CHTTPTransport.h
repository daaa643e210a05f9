#ifndef ARTTUI_CHTTPTRANSPORT_H
#define ARTTUI_CHTTPTRANSPORT_H

#include <stddef.h>
#include <stdint.h>

/// libcurl's easy API, resolved at run time from libcurl.so.4 (no development headers needed to build).
/// The option and info numbers callers pass are curl.h's; see HTTPTransport's CurlOption.

/// A data callback of libcurl (CURLOPT_WRITEFUNCTION, CURLOPT_HEADERFUNCTION): bytes, 1, length, user data.
typedef size_t (*arttui_curl_data_callback)(char *bytes, size_t size, size_t count, void *user);

/// CURLOPT_XFERINFOFUNCTION: user data, bytes to download and downloaded, to upload and uploaded (curl_off_t);
/// non-zero aborts the transfer with CURLE_ABORTED_BY_CALLBACK.
typedef int (*arttui_curl_xferinfo_callback)(void *user, int64_t download_total, int64_t downloaded,
                                             int64_t upload_total, int64_t uploaded);

/// Loads libcurl and resolves its functions once per process (thread-safe), then calls
/// curl_global_init. Returns 0 on success; otherwise writes why into `reason` and returns -1.
int arttui_curl_load(char *reason, size_t reason_length);

/// curl_easy_init: a new easy handle, or NULL. Only after arttui_curl_load succeeded.
void *arttui_curl_easy_init(void);
/// curl_easy_cleanup.
void arttui_curl_easy_cleanup(void *handle);
/// curl_easy_reset: every option back to its default; live connections stay for reuse.
void arttui_curl_easy_reset(void *handle);
/// curl_easy_setopt for options of type long (numbers below 10000).
int arttui_curl_setopt_long(void *handle, int option, long value);
/// curl_easy_setopt for object, string and list options (10000-19999).
int arttui_curl_setopt_pointer(void *handle, int option, const void *value);
/// curl_easy_setopt for a data callback (20000-29999).
int arttui_curl_setopt_callback(void *handle, int option, arttui_curl_data_callback callback);
/// curl_easy_setopt for curl_off_t options (30000-39999).
int arttui_curl_setopt_offset(void *handle, int option, int64_t value);
/// curl_easy_setopt for CURLOPT_XFERINFOFUNCTION.
int arttui_curl_setopt_xferinfo(void *handle, int option, arttui_curl_xferinfo_callback callback);
/// curl_easy_getinfo for a long (CURLINFO_LONG + n).
int arttui_curl_getinfo_long(void *handle, int info, long *value);
/// curl_easy_getinfo for a curl_off_t (CURLINFO_OFF_T + n).
int arttui_curl_getinfo_offset(void *handle, int info, int64_t *value);
/// curl_easy_strerror.
const char *arttui_curl_strerror(int code);
/// curl_slist_append: the list with a copy of `line` added, or NULL.
void *arttui_curl_slist_append(void *list, const char *line);
/// curl_slist_free_all.
void arttui_curl_slist_free_all(void *list);
/// curl_multi_init: a multi handle that keeps the connections of the transfers run on it, or NULL.
void *arttui_curl_multi_init(void);
/// curl_multi_cleanup: closes the multi handle's connections. No easy handle may be attached.
void arttui_curl_multi_cleanup(void *multi);
/// Runs `handle`'s transfer on `multi` to its end, as curl_easy_perform does, but wakes at least every
/// `wake_ms` milliseconds so the progress callback runs that often even when no byte moves (curl_easy_perform
/// waits up to a second). Returns the transfer's CURLcode (CURLE_FAILED_INIT when the multi handle failed).
int arttui_curl_multi_transfer(void *multi, void *handle, int wake_ms);

#endif
