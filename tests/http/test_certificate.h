#pragma once
// A throwaway self-signed TLS certificate for tests, made in-process with OpenSSL 3's EVP API
// (no openssl CLI, nothing on disk).

#include <QSslCertificate>
#include <QSslKey>

namespace atende::test {

struct TestCertificate {
    QSslCertificate certificate = QSslCertificate();
    QSslKey key = QSslKey();
};

// P-256 key, CN=localhost, subjectAltName DNS:localhost and IP:127.0.0.1, valid for one day.
// Returns null members if OpenSSL failed.
TestCertificate makeSelfSignedCertificate();

} // namespace atende::test
