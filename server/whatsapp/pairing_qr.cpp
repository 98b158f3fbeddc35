#include "server/whatsapp/pairing_qr.h"

#include <QByteArray>

namespace atende::server::whatsapp {

namespace {
QString b64(QByteArrayView bytes)
{
    return QString::fromLatin1(bytes.toByteArray().toBase64());
}
} // namespace

QString pairingQrText(QByteArrayView ref, QByteArrayView noisePublicKey, QByteArrayView identityPublicKey,
                      QByteArrayView advSecret, QLatin1String platform)
{
    return QStringLiteral("https://wa.me/settings/linked_devices#") + QString::fromUtf8(ref) + u',' +
           b64(noisePublicKey) + u',' + b64(identityPublicKey) + u',' + b64(advSecret) + u',' + platform;
}

} // namespace atende::server::whatsapp
