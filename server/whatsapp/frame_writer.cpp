#include "server/whatsapp/frame_writer.h"

#include "server/whatsapp/error_codes.h"

namespace atende::server::whatsapp {

namespace {

void appendU24(QByteArray &out, qsizetype v)
{
    out.append(char((v >> 16) & 0xFF));
    out.append(char((v >> 8) & 0xFF));
    out.append(char(v & 0xFF));
}

} // namespace

QByteArray waIntro()
{
    return QByteArrayLiteral("WA\x06\x03");
}

QByteArray waIntroWithRoutingInfo(QByteArrayView routingInfo)
{
    if (routingInfo.isEmpty())
        return waIntro();
    QByteArray out = QByteArrayLiteral("ED\x00\x01");
    appendU24(out, routingInfo.size() & 0xFFFFFF);
    out.append(routingInfo.first(qMin(routingInfo.size(), kMaxFramePayload)));
    out.append(waIntro());
    return out;
}

FrameWriter::FrameWriter(QByteArray intro)
    : m_intro(std::move(intro))
    , m_introSent(m_intro.isEmpty())
{}

core::Result<QByteArray> FrameWriter::frame(QByteArrayView payload)
{
    if (payload.size() > kMaxFramePayload)
        return core::Error::make(errc::kFrameTooLarge,
                                 QStringLiteral("frame payload of %1 bytes exceeds 16 MiB").arg(payload.size()));
    QByteArray out;
    out.reserve((m_introSent ? 0 : m_intro.size()) + kFrameHeaderSize + payload.size());
    if (!m_introSent) {
        out.append(m_intro);
        m_introSent = true;
    }
    appendU24(out, payload.size());
    out.append(payload);
    return out;
}

} // namespace atende::server::whatsapp
