#include "server/whatsapp/message_padding.h"

#include "server/whatsapp/crypto.h"
#include "server/whatsapp/error_codes.h"

namespace atende::server::whatsapp {

QByteArray padMessage(QByteArrayView message, quint8 padLength)
{
    QByteArray out = message.toByteArray();
    out.append(QByteArray(padLength, char(padLength)));
    return out;
}

QByteArray padMessageRandom(QByteArrayView message)
{
    const quint8 nibble = quint8(crypto::randomBytes(1)[0]) & 0x0F;
    return padMessage(message, nibble == 0 ? 15 : nibble);
}

core::Result<QByteArray> unpadMessage(QByteArrayView padded)
{
    if (padded.isEmpty())
        return core::Error::make(errc::kMessagePaddingInvalid, QStringLiteral("empty padded message"));
    const auto pad = quint8(padded.back());
    if (pad == 0 || pad > padded.size())
        return core::Error::make(errc::kMessagePaddingInvalid, QStringLiteral("invalid padding length"));
    const QByteArrayView tail = padded.last(pad);
    for (char c : tail) {
        if (quint8(c) != pad)
            return core::Error::make(errc::kMessagePaddingInvalid, QStringLiteral("inconsistent padding bytes"));
    }
    return padded.first(padded.size() - pad).toByteArray();
}

} // namespace atende::server::whatsapp
