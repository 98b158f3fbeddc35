#pragma once
// A 256-bit AES key held in a fixed array that is wiped on destruction (QByteArray's implicit sharing
// would leave copies we cannot wipe). Its key id is a short public fingerprint, SHA-256 over a domain
// label and the key, truncated to 8 bytes: stored next to ciphertext so the wrong key is reported as
// "wrong key" instead of "tampered", and safe to log. Internal building block of MasterKey and DataKey.

#include <QByteArray>
#include <QByteArrayView>

#include <array>

namespace atende::server::security {

class SymmetricKey {
public:
    static constexpr qsizetype kSize = 32;
    static constexpr qsizetype kIdSize = 8;

    // raw must be kSize bytes (checked by the callers, which return proper errors).
    SymmetricKey(QByteArrayView raw, QByteArrayView idLabel);
    ~SymmetricKey();
    SymmetricKey(const SymmetricKey &) = default;
    SymmetricKey &operator=(const SymmetricKey &) = default;

    const unsigned char *data() const { return m_key.data(); }
    const QByteArray &id() const { return m_id; }
    // A copy of the key bytes, for export (key file, environment value). Wipe it after use.
    QByteArray toByteArray() const;

private:
    std::array<unsigned char, kSize> m_key{};
    QByteArray m_id;
};

} // namespace atende::server::security
