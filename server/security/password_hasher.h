#pragma once
// Argon2id password hashing (ARCHITECTURE.md decision 5) with OWASP's minimum parameters by default
// (19 MiB, 2 iterations, 1 lane). Hashes are stored as PHC strings, so parameters can be raised later:
// old hashes still verify with the parameters they carry, and needsRehash() tells the login path to store
// a fresh hash after a successful login.
//
// Passwords are NFC-normalised before hashing so the same password typed on different systems (composed
// vs decomposed accents, common in Portuguese) gives the same hash. Login must call dummyVerify() when the
// email is unknown: it costs the same as a real verify, so timing does not reveal which emails exist.
// All methods are const and thread-safe (each call allocates its own Argon2 memory).

#include "common/core/result.h"

#include <QString>
#include <QStringView>

namespace atende::server::security {

struct Argon2Params {
    quint32 memoryKiB = 19 * 1024;
    quint32 iterations = 2;
    quint32 parallelism = 1;
    quint32 saltBytes = 16;
    quint32 hashBytes = 32;
};

class PasswordHasher {
public:
    // Longer inputs are refused (hash) or never match (verify): a bounded input bounds the work an
    // unauthenticated request can cause.
    static constexpr qsizetype kMaxPasswordBytes = 1024;

    explicit PasswordHasher(Argon2Params params = {});

    const Argon2Params &params() const { return m_params; }

    // A PHC string with a fresh random salt.
    atende::core::Result<QString> hash(QStringView password) const;
    // False for a wrong password and for a malformed stored hash (the latter is logged, without content).
    bool verify(QStringView password, QStringView encodedHash) const;
    // True when the stored hash is malformed or was made with other parameters than ours.
    bool needsRehash(QStringView encodedHash) const;
    // Burns the same time as verify() against a hash with our parameters; always returns false.
    bool dummyVerify(QStringView password) const;

private:
    Argon2Params m_params;
};

} // namespace atende::server::security
