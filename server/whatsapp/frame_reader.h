#pragma once
// The incoming half of the stream layer (PROTOCOL.md §1.1-§1.2). WebSocket message boundaries mean
// nothing: feed() takes whatever bytes arrived and the reader cuts complete frames, keeping a partial one
// until the rest comes. A server-side reader first consumes the client's intro (plain "WA" form or the
// "ED" routing-info form). A frame header announcing more than the configured maximum fails the stream at
// once, before any of that payload is buffered; after an error the reader stays failed.

#include "common/core/result.h"
#include "server/whatsapp/frame_writer.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <optional>

namespace atende::server::whatsapp {

class FrameReader {
public:
    enum class Mode {
        Frames,          // client side: the server sends frames only
        IntroThenFrames, // server side: the client starts with its intro
    };

    explicit FrameReader(Mode mode = Mode::Frames, qsizetype maxFrameSize = kMaxFramePayload);

    core::Status feed(QByteArrayView chunk);
    // The next complete frame payload (without its length prefix), oldest first.
    std::optional<QByteArray> takeFrame();
    qsizetype pendingFrames() const { return m_frames.size(); }

    bool introReceived() const { return m_introDone; }
    // From the intro: the routing info of the "ED" form (else empty) and the dictionary byte (3).
    QByteArray routingInfo() const { return m_routingInfo; }
    quint8 dictionaryVersion() const { return m_dictionaryVersion; }

private:
    core::Status parse();
    core::Result<bool> parseIntro();
    core::Status fail(core::Error error);

    QByteArray m_buffer;
    qsizetype m_offset = 0; // consumed bytes at the front of m_buffer, dropped lazily
    QList<QByteArray> m_frames;
    qsizetype m_maxFrameSize;
    bool m_introDone;
    QByteArray m_routingInfo;
    quint8 m_dictionaryVersion = 0;
    std::optional<core::Error> m_error;
};

} // namespace atende::server::whatsapp
