#pragma once
// The outgoing half of the stream layer (PROTOCOL.md §1.2): every frame is u24be(length) ‖ payload, and a
// client puts the intro header in front of its first frame (in the same WebSocket message).

#include "common/core/result.h"

#include <QByteArray>
#include <QByteArrayView>

namespace atende::server::whatsapp {

inline constexpr qsizetype kFrameHeaderSize = 3;
inline constexpr qsizetype kMaxFramePayload = 0xFFFFFF;
inline constexpr quint8 kDictionaryVersion = 3;

// "WA" 0x06 0x03: magic, protocol 6, dictionary v3. Also the Noise prologue.
QByteArray waIntro();
// The routing-info form: "ED" 0x00 0x01 ‖ u24be(len) ‖ routingInfo ‖ waIntro(). Empty info → waIntro().
QByteArray waIntroWithRoutingInfo(QByteArrayView routingInfo);

class FrameWriter {
public:
    // `intro` is sent once before the first frame; servers pass none.
    explicit FrameWriter(QByteArray intro = {});

    // The bytes to send for one payload; fails when the payload exceeds 0xFFFFFF bytes.
    core::Result<QByteArray> frame(QByteArrayView payload);
    bool introSent() const { return m_introSent; }

private:
    QByteArray m_intro;
    bool m_introSent = false;
};

} // namespace atende::server::whatsapp
