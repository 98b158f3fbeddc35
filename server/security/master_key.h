#pragma once
// The master key of the envelope scheme (ARCHITECTURE.md decision 5): it only wraps per-tenant data keys,
// never data. It comes from a key file (created on first run, 32 random bytes, mode 0600; a file with
// group/other permissions or the wrong size is refused) or from an environment value holding base64 (the
// caller reads the variable, e.g. ATENDE_MASTER_KEY, and passes its value here). keyId() is a public
// fingerprint stored in every wrapped blob, so a rotation can tell which blobs still need re-wrapping.

#include "common/core/result.h"
#include "server/security/symmetric_key.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace atende::server::security {

class MasterKey {
public:
    static constexpr qsizetype kSize = SymmetricKey::kSize;

    static atende::core::Result<MasterKey> generate();
    static atende::core::Result<MasterKey> fromRaw(QByteArrayView raw);
    // Standard base64 (with or without padding); surrounding whitespace is ignored.
    static atende::core::Result<MasterKey> fromBase64(QByteArrayView base64);
    static atende::core::Result<MasterKey> loadFile(const QString &path);
    // First run: creates the file. Later runs (and a racing second instance): loads it.
    static atende::core::Result<MasterKey> loadOrCreateFile(const QString &path);
    // Writes this key to a new file (never overwrites), e.g. the new key of a rotation.
    atende::core::Status saveNewFile(const QString &path) const;

    const QByteArray &keyId() const { return m_key.id(); }
    QString keyIdHex() const { return QString::fromLatin1(m_key.id().toHex()); }
    // For exporting into an environment value. Treat the result as the secret it is.
    QByteArray toBase64() const;
    const SymmetricKey &key() const { return m_key; }

private:
    explicit MasterKey(QByteArrayView raw);

    SymmetricKey m_key;
};

} // namespace atende::server::security
