#pragma once
// The QR code text a companion shows for each <ref> of a pair-device iq (PROTOCOL.md §5.1).

#include <QByteArrayView>
#include <QString>

namespace atende::server::whatsapp {

// Platform codes of the QR's last field (whatsmeow's PairClientType); not DeviceProps.PlatformType.
namespace qr_platform {
inline constexpr QLatin1String kUnknown{"0"};
inline constexpr QLatin1String kChrome{"1"};
inline constexpr QLatin1String kEdge{"2"};
inline constexpr QLatin1String kFirefox{"3"};
inline constexpr QLatin1String kSafari{"6"};
inline constexpr QLatin1String kElectron{"7"};
inline constexpr QLatin1String kOtherWebClient{"9"};
} // namespace qr_platform

// "https://wa.me/settings/linked_devices#" ref "," b64(noise) "," b64(identity) "," b64(advSecret) ","
// platform. `ref` is the <ref> content as sent (UTF-8), keys are 32 raw bytes, base64 is standard with '='.
QString pairingQrText(QByteArrayView ref, QByteArrayView noisePublicKey, QByteArrayView identityPublicKey,
                      QByteArrayView advSecret, QLatin1String platform = qr_platform::kChrome);

} // namespace atende::server::whatsapp
