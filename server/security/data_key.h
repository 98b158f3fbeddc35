#pragma once
// A per-tenant data key: encrypts the tenant's secrets (WhatsApp credentials, Signal stores, API token
// metadata) and is itself stored only wrapped by the master key (Envelope::wrap). A distinct type from
// MasterKey so the two cannot be swapped by accident.

#include "common/core/result.h"
#include "server/security/symmetric_key.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace atende::server::security {

class DataKey {
public:
    static constexpr qsizetype kSize = SymmetricKey::kSize;

    static atende::core::Result<DataKey> generate();
    static atende::core::Result<DataKey> fromRaw(QByteArrayView raw);

    const QByteArray &keyId() const { return m_key.id(); }
    QString keyIdHex() const { return QString::fromLatin1(m_key.id().toHex()); }
    const SymmetricKey &key() const { return m_key; }

private:
    explicit DataKey(QByteArrayView raw);

    SymmetricKey m_key;
};

} // namespace atende::server::security
