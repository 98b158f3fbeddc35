#pragma once
// Tag bytes of the binary node format (PROTOCOL.md §4.2). Internal to the codec.

#include <QtGlobal>

namespace atende::server::whatsapp::tags {

inline constexpr quint8 kListEmpty = 0x00;
inline constexpr quint8 kDictionary0 = 0xEC; // ..0xEF
inline constexpr quint8 kInteropJid = 0xF5;
inline constexpr quint8 kFbJid = 0xF6;
inline constexpr quint8 kAdJid = 0xF7;
inline constexpr quint8 kList8 = 0xF8;
inline constexpr quint8 kList16 = 0xF9;
inline constexpr quint8 kJidPair = 0xFA;
inline constexpr quint8 kHex8 = 0xFB;
inline constexpr quint8 kBinary8 = 0xFC;
inline constexpr quint8 kBinary20 = 0xFD;
inline constexpr quint8 kBinary32 = 0xFE;
inline constexpr quint8 kNibble8 = 0xFF;

inline constexpr int kPackedMax = 127;
// Flags byte in front of every node buffer (§4.1): bit 1 = zlib-compressed body.
inline constexpr quint8 kFlagCompressed = 0x02;

} // namespace atende::server::whatsapp::tags
