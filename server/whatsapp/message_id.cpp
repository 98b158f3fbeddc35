// §7.1 message ids; apart from message_stanza.cpp so that the stanza parsers need no crypto library.
#include "server/whatsapp/crypto.h"
#include "server/whatsapp/message_stanza.h"

#include <QCryptographicHash>
#include <QtEndian>

namespace atende::server::whatsapp {

QString generateMessageId(const QString &ownUser, qint64 unixSeconds, QByteArray randomBytes)
{
    if (randomBytes.isEmpty())
        randomBytes = crypto::randomBytes(16);
    QByteArray data(8, '\0');
    qToBigEndian(quint64(unixSeconds), data.data());
    data += ownUser.toUtf8() + "@c.us" + randomBytes;
    const QByteArray hash = QCryptographicHash::hash(data, QCryptographicHash::Sha256);
    return QStringLiteral("3EB0") + QString::fromLatin1(hash.left(9).toHex().toUpper());
}

} // namespace atende::server::whatsapp
