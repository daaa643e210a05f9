#ifndef ARTTUI_CCURLTRUST_H
#define ARTTUI_CCURLTRUST_H

/// Makes every libcurl transfer of this process trust only the certificates in `ca_file` (when not
/// NULL), and verify neither peer nor host when `insecure` is non-zero. Call before the first request.
void arttui_curl_trust(const char *ca_file, int insecure);

#endif
