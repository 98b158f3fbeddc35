#pragma once
// The set of JWT signing keys, by kid. One key is active and signs new tokens; the others only verify,
// so a rotation is: add a new key, make it active, and remove the old one once every token it signed has
// expired (the access-token lifetime). Value type: copy it to hand a snapshot to another thread.

#include "common/core/result.h"
#include "server/security/signing_key.h"

#include <QString>
#include <QStringList>
#include <QStringView>

#include <vector>

namespace atende::server::security {

class KeyRing {
public:
    // Fails when the kid is already present (two keys with one kid would make verification ambiguous).
    atende::core::Status add(SigningKey key);
    // Fails unless the kid is present and the key has its private half.
    atende::core::Status setActive(const QString &kid);
    // add() + setActive(): the usual rotation step.
    atende::core::Status rotateTo(SigningKey key);
    // Removing the active key leaves the ring without a signer until setActive() is called.
    bool remove(const QString &kid);

    const SigningKey *find(QStringView kid) const;
    const SigningKey *active() const;
    QStringList kids() const;
    qsizetype size() const { return qsizetype(m_keys.size()); }
    bool isEmpty() const { return m_keys.empty(); }

private:
    std::vector<SigningKey> m_keys;
    QString m_activeKid;
};

} // namespace atende::server::security
