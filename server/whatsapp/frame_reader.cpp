#include "server/whatsapp/frame_reader.h"

#include "server/whatsapp/error_codes.h"

namespace atende::server::whatsapp {

using core::Error;
using core::Status;

namespace {

qsizetype readU24(QByteArrayView b, qsizetype at)
{
    return (qsizetype(quint8(b[at])) << 16) | (qsizetype(quint8(b[at + 1])) << 8) | qsizetype(quint8(b[at + 2]));
}

} // namespace

FrameReader::FrameReader(Mode mode, qsizetype maxFrameSize)
    : m_maxFrameSize(qMin(maxFrameSize, kMaxFramePayload))
    , m_introDone(mode == Mode::Frames)
{}

Status FrameReader::feed(QByteArrayView chunk)
{
    if (m_error)
        return *m_error;
    m_buffer.append(chunk);
    return parse();
}

std::optional<QByteArray> FrameReader::takeFrame()
{
    if (m_frames.isEmpty())
        return std::nullopt;
    return m_frames.takeFirst();
}

Status FrameReader::fail(Error error)
{
    m_error = error;
    m_buffer.clear();
    m_offset = 0;
    return error;
}

Status FrameReader::parse()
{
    if (!m_introDone) {
        auto done = parseIntro();
        if (!done)
            return fail(done.error());
        if (!*done)
            return {};
    }
    const QByteArrayView data(m_buffer);
    while (data.size() - m_offset >= kFrameHeaderSize) {
        const qsizetype length = readU24(data, m_offset);
        if (length > m_maxFrameSize)
            return fail(Error::make(
                errc::kFrameTooLarge,
                QStringLiteral("frame of %1 bytes exceeds the limit of %2").arg(length).arg(m_maxFrameSize)));
        if (data.size() - m_offset - kFrameHeaderSize < length)
            break;
        m_frames.append(data.sliced(m_offset + kFrameHeaderSize, length).toByteArray());
        m_offset += kFrameHeaderSize + length;
    }
    // Drop consumed bytes once they dominate the buffer; avoids quadratic copying with many small frames.
    if (m_offset > 0 && (m_offset == m_buffer.size() || m_offset > 64 * 1024)) {
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
    return {};
}

// True once the intro is consumed, false if more bytes are needed.
core::Result<bool> FrameReader::parseIntro()
{
    const QByteArrayView data = QByteArrayView(m_buffer).sliced(m_offset);
    qsizetype at = 0;
    if (data.size() >= 1 && data[0] == 'E') {
        static constexpr char kEd[] = {'E', 'D', 0x00, 0x01};
        for (qsizetype i = 0; i < qMin<qsizetype>(4, data.size()); ++i) {
            if (data[i] != kEd[i])
                return Error::make(errc::kIntroInvalid, QStringLiteral("bad routing-info intro"));
        }
        if (data.size() < 7)
            return false;
        const qsizetype length = readU24(data, 4);
        if (length > m_maxFrameSize)
            return Error::make(errc::kIntroInvalid, QStringLiteral("routing info too large"));
        if (data.size() < 7 + length)
            return false;
        m_routingInfo = data.sliced(7, length).toByteArray();
        at = 7 + length;
    }
    static constexpr char kWa[] = {'W', 'A', 0x06};
    for (qsizetype i = 0; i < qMin<qsizetype>(3, data.size() - at); ++i) {
        if (data[at + i] != kWa[i])
            return Error::make(errc::kIntroInvalid, QStringLiteral("stream does not start with the WA intro"));
    }
    if (data.size() - at < 4)
        return false;
    m_dictionaryVersion = quint8(data[at + 3]);
    if (m_dictionaryVersion != kDictionaryVersion)
        return Error::make(errc::kIntroUnsupportedDictionary,
                           QStringLiteral("token dictionary v%1 is not supported").arg(m_dictionaryVersion));
    m_offset += at + 4;
    m_introDone = true;
    return true;
}

} // namespace atende::server::whatsapp
