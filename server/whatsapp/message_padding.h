#pragma once
// Random padding of serialized `Message` protobufs before Signal encryption (PROTOCOL.md §7.4, enc v="2"):
// append p bytes of value p. We send 1..15 (whatsmeow); we accept 1..255, since Baileys pads up to 16 and
// the receiver only needs the last byte.

#include "common/core/result.h"

#include <QByteArray>
#include <QByteArrayView>

namespace atende::server::whatsapp {

// Pads with `padLength` (1..255) bytes of that value.
QByteArray padMessage(QByteArrayView message, quint8 padLength);
// Pads with a random length 1..15.
QByteArray padMessageRandom(QByteArrayView message);
// Strips the padding; fails when the last byte is 0, exceeds the size, or the pad bytes differ.
core::Result<QByteArray> unpadMessage(QByteArrayView padded);

} // namespace atende::server::whatsapp
